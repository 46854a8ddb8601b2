import { sql, type Kysely } from 'kysely';

/**
 * Payouts (docs/api.md, Payouts): a merchant pushes money from its available balance to a card.
 * The card number is kept only sealed with the master key, and only while the payout is
 * PROCESSING (the acquirer has not acknowledged it yet); a CHECK makes that a rule of the table.
 * Ledger postings and notify jobs may now belong to a payout instead of an order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE merchants ADD COLUMN payout_fee_cents bigint NOT NULL DEFAULT 0 CHECK (payout_fee_cents >= 0)`.execute(db);
  await sql`
    CREATE TABLE payouts (
      id                 text PRIMARY KEY,
      plat_form_trade_no text NOT NULL UNIQUE,
      merchant_no        text NOT NULL REFERENCES merchants,
      trade_no           text NOT NULL,
      request_hash       text NOT NULL,
      amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
      fee_cents          bigint NOT NULL CHECK (fee_cents >= 0),
      currency           text NOT NULL,
      customer_name      text NOT NULL,
      customer_mobile    text,
      customer_email     text,
      notify_url         text NOT NULL,
      remark             text,
      card_brand         text NOT NULL CHECK (card_brand IN ('visa', 'mastercard')),
      card_bin           text NOT NULL,
      card_last4         text NOT NULL,
      card_fingerprint   text NOT NULL,
      card_sealed        text,
      status             text NOT NULL DEFAULT '0015' CHECK (status IN ('0015', '0000', '00029')),
      status_desc        text NOT NULL DEFAULT 'PROCESSING',
      acquirer_reference text,
      check_after        timestamptz NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      ended_at           timestamptz,
      UNIQUE (merchant_no, trade_no),
      CHECK (card_sealed IS NULL OR status = '0015')
    )`.execute(db);
  await sql`CREATE INDEX payouts_by_merchant ON payouts (merchant_no, created_at)`.execute(db);
  await sql`CREATE INDEX payouts_to_reconcile ON payouts (check_after) WHERE status = '0015'`.execute(db);
  // Each call to the acquirer and each answer, for operators (the payout's "attempts").
  await sql`
    CREATE TABLE payout_events (
      id         bigserial PRIMARY KEY,
      payout_id  text NOT NULL REFERENCES payouts ON DELETE CASCADE,
      type       text NOT NULL,
      detail     text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX payout_events_by_payout ON payout_events (payout_id, id)`.execute(db);

  await sql`ALTER TABLE ledger_postings ALTER COLUMN order_no DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE ledger_postings ADD COLUMN payout_id text REFERENCES payouts`.execute(db);
  await sql`ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_kind_check`.execute(db);
  await sql`
    ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_kind_check
      CHECK (kind IN ('payment', 'refund', 'settlement', 'payout_hold', 'payout_paid', 'payout_reversed'))`.execute(db);
  await sql`ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_subject CHECK ((order_no IS NULL) <> (payout_id IS NULL))`.execute(db);
  await sql`CREATE UNIQUE INDEX ledger_postings_payout_once ON ledger_postings (kind, payout_id) WHERE payout_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_check`.execute(db);
  await sql`
    ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_account_check
      CHECK (account IN ('acquirer_clearing', 'merchant_pending', 'merchant_available', 'merchant_frozen', 'fee_revenue', 'payouts_in_flight'))`.execute(db);

  await sql`ALTER TABLE jobs ALTER COLUMN order_no DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE jobs ADD COLUMN payout_id text REFERENCES payouts ON DELETE CASCADE`.execute(db);
  await sql`ALTER TABLE jobs ADD CONSTRAINT jobs_subject CHECK ((order_no IS NULL) <> (payout_id IS NULL))`.execute(db);
  await sql`CREATE INDEX jobs_by_payout ON jobs (payout_id, created_at) WHERE payout_id IS NOT NULL`.execute(db);

  // The simulator's payouts, beside its charges (a real acquirer keeps these on its side).
  await sql`
    CREATE TABLE simulator_payouts (
      idempotency_key text PRIMARY KEY,
      record          jsonb NOT NULL,
      paid            boolean NOT NULL
    )`.execute(db);
}
