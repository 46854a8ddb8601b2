import { sql, type Kysely } from 'kysely';

/**
 * Refunds of paid orders. Refunds never change an order's status; what is refundable is derived
 * from these rows (paid amount minus refunds not failed), checked while the order row is locked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE refunds (
      id                 text PRIMARY KEY,
      merchant_no        text NOT NULL REFERENCES merchants,
      refund_no          text NOT NULL,
      order_no           text NOT NULL REFERENCES orders ON DELETE CASCADE,
      request_hash       text NOT NULL,
      amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
      reason             text,
      status             text NOT NULL DEFAULT '0015' CHECK (status IN ('0015', '0000', '00029')),
      status_desc        text NOT NULL DEFAULT 'PROCESSING',
      acquirer_reference text,
      check_after        timestamptz NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      ended_at           timestamptz,
      UNIQUE (merchant_no, refund_no)
    )`.execute(db);
  await sql`CREATE INDEX refunds_by_order ON refunds (order_no)`.execute(db);
  await sql`CREATE INDEX refunds_to_reconcile ON refunds (check_after) WHERE status = '0015'`.execute(db);
}
