import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { createdAtOfOrder } from '../order-keys.ts';

/**
 * Claims the oldest paid order due for settlement (paid at least `delayMs` ago, not settled) and
 * marks it settled, inside the caller's transaction; SKIP LOCKED lets several nodes settle
 * together. Answers undefined when none is due.
 */
export async function claimOrderToSettle(trx: Transaction<Database>, delayMs: number, now: Date) {
  const order = await sql<{ plat_form_trade_no: string; merchant_no: string }>`
    SELECT plat_form_trade_no, merchant_no FROM orders
     WHERE status = ${sql.lit(OrderStatus.Paid)} AND settled_at IS NULL AND paid_at <= now() - ${delayMs} * interval '1 millisecond'
     ORDER BY paid_at LIMIT 1
     FOR UPDATE SKIP LOCKED`.execute(trx);
  const row = order.rows[0];
  if (!row) return undefined;
  await trx
    .updateTable('orders')
    .set({ settled_at: now })
    .where('plat_form_trade_no', '=', row.plat_form_trade_no)
    .where('created_at', '=', createdAtOfOrder(row.plat_form_trade_no))
    .execute();
  return row;
}
