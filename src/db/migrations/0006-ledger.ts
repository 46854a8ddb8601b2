import { sql, type Kysely } from 'kysely';

/**
 * The double-entry ledger. Every money movement is a posting whose entries sum to zero
 * (debits positive, credits negative); balances are sums of entries, never counters.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ledger_postings (
      id          bigserial PRIMARY KEY,
      kind        text NOT NULL CHECK (kind IN ('payment', 'refund', 'settlement')),
      merchant_no text NOT NULL REFERENCES merchants,
      order_no    text NOT NULL REFERENCES orders ON DELETE CASCADE,
      refund_id   text,
      created_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // One posting per event: a payment, a settlement of an order, a refund.
  await sql`CREATE UNIQUE INDEX ledger_postings_once ON ledger_postings (kind, order_no, coalesce(refund_id, ''))`.execute(db);
  await sql`
    CREATE TABLE ledger_entries (
      id           bigserial PRIMARY KEY,
      posting_id   bigint NOT NULL REFERENCES ledger_postings ON DELETE CASCADE,
      account      text NOT NULL CHECK (account IN ('acquirer_clearing', 'merchant_pending', 'merchant_available', 'merchant_frozen', 'fee_revenue')),
      merchant_no  text NOT NULL,
      amount_cents bigint NOT NULL CHECK (amount_cents <> 0)
    )`.execute(db);
  await sql`CREATE INDEX ledger_entries_by_merchant ON ledger_entries (merchant_no, account)`.execute(db);
  await sql`CREATE INDEX ledger_entries_by_posting ON ledger_entries (posting_id)`.execute(db);

  await sql`ALTER TABLE orders ADD COLUMN settled_at timestamptz`.execute(db);
  await sql`CREATE INDEX orders_to_settle ON orders (paid_at) WHERE status = '0000' AND settled_at IS NULL`.execute(db);
}
