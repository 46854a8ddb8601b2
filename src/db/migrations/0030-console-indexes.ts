import { sql, type Kysely } from 'kysely';

/**
 * Indexes the console's lists page through (issue 12). Each names, in its comment, the query it
 * serves (test/db/order-indexes.test.ts holds every index on `orders` to that).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX orders_by_merchant_newest_first ON orders (merchant_no, created_at DESC, plat_form_trade_no DESC)`.execute(db);
  await sql`COMMENT ON INDEX orders_by_merchant_newest_first IS ${sql.lit(
    'serves the console order list, its CSV export and the overview for one merchant (a merchant user, or an operator filtering by merchant): listOrders, newest first with keyset paging',
  )}`.execute(db);
  await sql`CREATE INDEX ledger_postings_by_merchant ON ledger_postings (merchant_no, id)`.execute(db);
  await sql`COMMENT ON INDEX ledger_postings_by_merchant IS ${sql.lit('serves the merchant statement: listStatement, postings newest first with keyset paging')}`.execute(db);
  await sql`CREATE INDEX jobs_notify_unacknowledged ON jobs (created_at, id) WHERE kind = 'notify' AND status <> 'done'`.execute(db);
  await sql`COMMENT ON INDEX jobs_notify_unacknowledged IS ${sql.lit('serves the console notifications view: listUnacknowledged, notifications not delivered yet')}`.execute(db);
}
