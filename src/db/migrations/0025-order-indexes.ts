import { sql, type Kysely } from 'kysely';

/**
 * What every create-checkout maintains, reviewed (issue 9). Each index on `orders` names, in its
 * comment, the query it serves; none was found serving nothing, so none is dropped. A new index
 * on `orders` must say the same (test/db/order-indexes.test.ts holds it to that).
 *
 * The foreign key `orders.merchant_no → merchants` is dropped. It guarded against an order whose
 * merchant is deleted or never existed, and neither can happen: merchants are never deleted
 * (they are disabled), and the merchant number an order is written with is read from the
 * authenticated merchant row. What it cost was paid on every create: a trigger, an index lookup
 * and a KEY SHARE lock on the merchant's one row, the single row that every concurrent create of
 * a merchant touches. `order_events.order_no → orders` stays: its check is on the order row just
 * written, cheap and uncontended, and it keeps the event log tied to real orders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const comments: Array<[string, string]> = [
    ['orders_pkey', 'every read by platFormTradeNo: findOrderByNo, the notify and receipt jobs, attempts, refunds, the dashboard order page'],
    ['orders_merchant_no_trade_no_key', 'one order per merchant and tradeNo (the idempotency of create-checkout: INSERT_ORDERS ON CONFLICT), findOrder by tradeNo for query and close'],
    ['orders_payment_token_key', 'the cashier page and the pay step: findOrderByToken'],
    ['orders_open_by_expiry', 'the expiry sweep: expireOrders, open orders by expires_at'],
    ['orders_to_settle', 'the settlement sweep: paid, unsettled orders by paid_at'],
    ['orders_newest_first', 'the dashboard order list: listOrders, newest first with keyset paging'],
  ];
  for (const [index, query] of comments) {
    await sql`COMMENT ON INDEX ${sql.id(index)} IS ${sql.lit(`serves ${query}`)}`.execute(db);
  }
  await sql`ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_merchant_no_fkey`.execute(db);
}
