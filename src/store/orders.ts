import type { Kysely, Selectable } from 'kysely';
import type { Database, OrdersTable } from '../db/schema.ts';
import { enqueueJobs } from './jobs.ts';
import type { OrderBatcher } from './order-batch.ts';

export type OrderRow = Selectable<OrdersTable>;

export type NewOrder = Omit<OrderRow, 'status' | 'status_desc' | 'created_at' | 'paid_at' | 'ended_at' | 'card_brand' | 'card_last4' | 'settled_at'>;

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
  if (reference.tradeNo !== undefined) return query.where('trade_no', '=', reference.tradeNo).executeTakeFirst();
  return query.where('plat_form_trade_no', '=', reference.platFormTradeNo ?? '').executeTakeFirst();
}

/**
 * Closes an open order that has no payment attempt under way (compare-and-set on status and
 * desc). Answers the closed order, or undefined when the order was not in a closable state.
 */
export async function closeOrder(db: Kysely<Database>, platFormTradeNo: string) {
  return db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('orders')
      .set({ status: '00031', status_desc: 'CLOSED', ended_at: new Date() })
      .where('plat_form_trade_no', '=', platFormTradeNo)
      .where('status', '=', '0015')
      .where('status_desc', '=', 'CREATED')
      .returningAll()
      .executeTakeFirst();
    if (closed) {
      await trx.insertInto('order_events').values({ order_no: platFormTradeNo, type: 'closed', detail: null }).execute();
      await enqueueJobs(trx, [{ kind: 'notify', orderNo: platFormTradeNo }]);
    }
    return closed;
  });
}

export const findOrderByToken = (db: Kysely<Database>, token: string) =>
  db.selectFrom('orders').selectAll().where('payment_token', '=', token).executeTakeFirst();
