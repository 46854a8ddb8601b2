import { sql, type Kysely } from 'kysely';

/**
 * Disputes (issue 22, docs/api.md "Disputes"): one row per dispute, its events, the ledger
 * postings that hold, release or take its money, and the merchant's DISPUTE notifications. The
 * CHECKs mirror domain/dispute.ts. Neither table is partitioned: disputes are few.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE merchants ADD COLUMN dispute_fee_cents bigint NOT NULL DEFAULT 1500 CHECK (dispute_fee_cents >= 0)`.execute(db);
  await sql`
    CREATE TABLE disputes (
      dispute_no             text PRIMARY KEY,
      processor              text NOT NULL CHECK (processor IN ('simulator', 'stripe', 'adyen')),
      processor_dispute_id   text NOT NULL,
      merchant_no            text NOT NULL REFERENCES merchants,
      order_no               text NOT NULL,
      amount_cents           bigint NOT NULL CHECK (amount_cents > 0),
      currency               text NOT NULL,
      reason                 text NOT NULL CHECK (reason IN ('FRAUDULENT', 'PRODUCT_NOT_RECEIVED', 'PRODUCT_UNACCEPTABLE', 'DUPLICATE',
                                                             'SUBSCRIPTION_CANCELED', 'CREDIT_NOT_PROCESSED', 'UNRECOGNIZED', 'GENERAL')),
      evidence_due_by        timestamptz,
      status                 text NOT NULL CHECK (status IN ('0015', '0000', '00029')),
      fee_cents              bigint CHECK (fee_cents >= 0),
      created_at             timestamptz NOT NULL DEFAULT now(),
      closed_at              timestamptz,
      UNIQUE (processor, processor_dispute_id),
      CHECK ((status = '0015') = (closed_at IS NULL)),
      CHECK ((status = '00029') = (fee_cents IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX disputes_by_order ON disputes (order_no)`.execute(db);
  await sql`CREATE INDEX disputes_by_merchant ON disputes (merchant_no, status, evidence_due_by)`.execute(db);
  await sql`
    CREATE TABLE dispute_events (
      id           bigserial PRIMARY KEY,
      dispute_no   text NOT NULL REFERENCES disputes ON DELETE CASCADE,
      stage        text NOT NULL CHECK (stage IN ('opened', 'updated', 'funds_withdrawn', 'funds_reinstated', 'won', 'lost')),
      status_after text NOT NULL CHECK (status_after IN ('0015', '0000', '00029')),
      moved        text,
      occurred_at  timestamptz NOT NULL,
      received_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX dispute_events_by_dispute ON dispute_events (dispute_no, id)`.execute(db);
  // Disputes name the payment by the processor's id for it.
  await sql`CREATE INDEX payment_attempts_by_reference ON payment_attempts (acquirer_reference) WHERE acquirer_reference IS NOT NULL`.execute(db);

  // Each dispute posting once per kind; the order stays the posting's subject (settlement reads it).
  await sql`ALTER TABLE ledger_postings ADD COLUMN dispute_no text REFERENCES disputes`.execute(db);
  await sql`ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_kind_check`.execute(db);
  await sql`
    ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_kind_check
      CHECK (kind IN ('payment', 'refund', 'settlement', 'payout_hold', 'payout_paid', 'payout_reversed', 'dispute_hold', 'dispute_release', 'dispute_loss'))`.execute(db);
  await sql`ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_dispute_kind CHECK ((dispute_no IS NOT NULL) = (kind LIKE 'dispute_%'))`.execute(db);
  await sql`DROP INDEX ledger_postings_once`.execute(db);
  await sql`CREATE UNIQUE INDEX ledger_postings_once ON ledger_postings (kind, order_no, coalesce(refund_id, ''), coalesce(dispute_no, ''))`.execute(db);

  // Notifications of a dispute name the event they tell; the simulator's dispute job carries the reason.
  await sql`ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check`.execute(db);
  await sql`ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('notify', 'email', 'simulator_dispute'))`.execute(db);
  await sql`ALTER TABLE jobs ADD COLUMN dispute_event_id bigint REFERENCES dispute_events ON DELETE CASCADE`.execute(db);
  await sql`ALTER TABLE jobs ADD COLUMN detail text`.execute(db);
}
