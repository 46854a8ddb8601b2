import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, OrdersTable } from '../db/schema.ts';
import { JobKind } from '../domain/job-status.ts';
import { OrderMove } from '../domain/order-status.ts';
import { monthOfOrderNo } from '../domain/ids.ts';
import { enqueueJobs } from './jobs.ts';
import type { NewOrder, OrderBatcher } from './order-batch.ts';
import { compiledOnce } from './compiled-once.ts';
import { ORDER_COLUMNS } from './row-columns.ts';
import { createdAtOfOrder, createdAtOfToken, createdAtOfTradeNo, orderNoOfToken, orderNoOfTradeNo } from './order-keys.ts';

export type OrderRow = Selectable<OrdersTable>;

export type { NewOrder };

/** What create-checkout answers about an order, new or found. */
export type CheckoutOrder = Pick<OrderRow, 'plat_form_trade_no' | 'status' | 'status_desc' | 'remark' | 'payment_token' | 'request_hash'>;

/**
 * Writes the order and its "created" event through the group commit (one statement, atomic;
 * answered once committed). When the merchant already used this tradeNo, nothing is written and
 * the existing order is answered instead, with `created: false`; the unique constraint makes
 * racing requests safe, in one batch or in several.
 */
export async function insertOrder(
  db: Kysely<Database>,
  batcher: OrderBatcher,
  order: NewOrder,
): Promise<{ order: CheckoutOrder; created: boolean }> {
  const written = await batcher.insert(order);
  if (written) return { order: { ...order, ...written }, created: true };
  const existing = await findOrder(db, order.merchant_no, { tradeNo: order.trade_no });
  if (!existing) throw new Error(`order ${order.trade_no} conflicted but cannot be read`);
  return { order: existing, created: false };
}

/** Finds a merchant's order by tradeNo, or by platFormTradeNo when no tradeNo is given. */
export function findOrder(db: Kysely<Database>, merchantNo: string, reference: { tradeNo?: string; platFormTradeNo?: string }) {
  const query = db.selectFrom('orders').selectAll().where('merchant_no', '=', merchantNo);
  if (reference.tradeNo !== undefined) {
    return query
      .where('plat_form_trade_no', '=', orderNoOfTradeNo(merchantNo, reference.tradeNo))
      .where('created_at', '=', createdAtOfTradeNo(merchantNo, reference.tradeNo))
      .executeTakeFirst();
  }
  const orderNo = reference.platFormTradeNo ?? '';
  return query.where('plat_form_trade_no', '=', orderNo).where('created_at', '=', createdAtOfOrder(orderNo)).executeTakeFirst();
}

/**
 * Closes an open order that has no payment attempt under way (compare-and-set on status and
 * desc). Answers the closed order, or undefined when the order was not in a closable state.
 */
export async function markOrderClosed(db: Kysely<Database>, platFormTradeNo: string, now: Date) {
  const { from, to } = OrderMove.close;
  return db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('orders')
      .set({ status: to.status, status_desc: to.desc, ended_at: now })
      .where('plat_form_trade_no', '=', platFormTradeNo)
      .where('created_at', '=', createdAtOfOrder(platFormTradeNo))
      .where('status', '=', from.status)
      .where('status_desc', '=', from.desc)
      .returningAll()
      .executeTakeFirst();
    if (closed) {
      await trx.insertInto('order_events').values({ order_no: platFormTradeNo, type: 'closed', detail: null }).execute();
      await enqueueJobs(trx, [{ kind: JobKind.Notify, orderNo: platFormTradeNo }]);
    }
    return closed;
  });
}

/**
 * An order by its platFormTradeNo in the month the number names (domain/ids.ts, newOrderNo): the
 * bounds are known before planning, so PostgreSQL plans and reads that one partition.
 */
export function selectOrderByNoInItsMonth(db: Kysely<Database> | Transaction<Database>, orderNo: string) {
  const month = monthOfOrderNo(orderNo);
  if (!month) return undefined;
  return db.selectFrom('orders').selectAll().where('plat_form_trade_no', '=', orderNo).where('created_at', '>=', month[0]).where('created_at', '<', month[1]);
}

/** An order by its platFormTradeNo wherever it is, its month found in order_keys: reads one partition. */
export const selectOrderByNo = (db: Kysely<Database> | Transaction<Database>, orderNo: string) =>
  db.selectFrom('orders').selectAll().where('plat_form_trade_no', '=', orderNo).where('created_at', '=', createdAtOfOrder(orderNo));

/**
 * An order by its platFormTradeNo, whoever its merchant. First in the month its number names;
 * an order created before numbers named their month (or a moment off at the turn of a month) is
 * then found through order_keys.
 */
export async function findOrderByNo(db: Kysely<Database> | Transaction<Database>, orderNo: string): Promise<OrderRow | undefined> {
  const inItsMonth = await selectOrderByNoInItsMonth(db, orderNo)?.executeTakeFirst();
  return inItsMonth ?? (await selectOrderByNo(db, orderNo).executeTakeFirst());
}

/** What a receipt shows of an order, with its merchant's name. */
export const findOrderForReceipt = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('orders')
    .innerJoin('merchants', 'merchants.merchant_no', 'orders.merchant_no')
    .select(['orders.plat_form_trade_no', 'orders.trade_no', 'orders.amount_cents', 'orders.currency', 'orders.email',
      'orders.paid_at', 'orders.paid_locale', 'orders.card_brand', 'orders.card_last4', 'orders.merchant_no', 'merchants.name as merchant_name'])
    .where('orders.plat_form_trade_no', '=', orderNo)
    .where('orders.created_at', '=', createdAtOfOrder(orderNo))
    .executeTakeFirst();

const selectOrderByToken = compiledOnce<{ token: string }, OrderRow>((db, arg) =>
  db.selectFrom('orders').select(ORDER_COLUMNS).where('plat_form_trade_no', '=', orderNoOfToken(arg('token'))).where('created_at', '=', createdAtOfToken(arg('token'))),
);

/** The order behind a payment token (the cashier page's one read; compiled once and prepared: compiled-once.ts). */
export const findOrderByToken = async (db: Kysely<Database>, token: string): Promise<OrderRow | undefined> =>
  (await selectOrderByToken(db, { token }))[0];

/**
 * Moves open orders past their expiry, with no payment under way, to EXPIRED, and queues
 * their notifications in the same statement. A payment under way when the clock passes expiry
 * finishes normally; if it is declined, the next sweep expires the order.
 * Safe on several nodes at once: rows are claimed with SKIP LOCKED and updated only while still open.
 */
export async function expireOrders(db: Kysely<Database>, batch = 500): Promise<string[]> {
  const { from, to } = OrderMove.expire;
  const expired = await sql<{ plat_form_trade_no: string }>`
    WITH expired AS (
      UPDATE orders SET status = ${sql.lit(to.status)}, status_desc = ${sql.lit(to.desc)}, ended_at = now()
       WHERE (plat_form_trade_no, created_at) IN (
         SELECT plat_form_trade_no, created_at FROM orders
          WHERE status = ${sql.lit(from.status)} AND status_desc = ${sql.lit(from.desc)} AND expires_at <= now()
          ORDER BY expires_at
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED)
         AND status = ${sql.lit(from.status)} AND status_desc = ${sql.lit(from.desc)}
      RETURNING plat_form_trade_no
    ), events AS (
      INSERT INTO order_events (order_no, type) SELECT plat_form_trade_no, 'expired' FROM expired
    ), notifications AS (
      INSERT INTO jobs (id, kind, order_no) SELECT replace(gen_random_uuid()::text, '-', ''), ${sql.lit(JobKind.Notify)}, plat_form_trade_no FROM expired
    )
    SELECT plat_form_trade_no FROM expired`.execute(db);
  return expired.rows.map((row) => row.plat_form_trade_no);
}
