import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { postSettlement } from './postings.ts';
import { OrderStatus } from '../domain/order-status.ts';
import { createdAtOfOrder } from '../store/order-keys.ts';

/**
 * Settlement (T+1 by default): paid orders older than the delay move from the merchant's
 * pending to available balance, one transaction per order, claimed with SKIP LOCKED so several
 * nodes can run it together.
 */
export async function settlePayments(db: Kysely<Database>, delayMs: number, now = new Date(), batch = 200): Promise<number> {
  let settled = 0;
  for (let i = 0; i < batch; i++) {
    const done = await db.transaction().execute(async (trx) => {
      const order = await sql<{ plat_form_trade_no: string; merchant_no: string }>`
        SELECT plat_form_trade_no, merchant_no FROM orders
         WHERE status = ${sql.lit(OrderStatus.Paid)} AND settled_at IS NULL AND paid_at <= now() - ${delayMs} * interval '1 millisecond'
         ORDER BY paid_at LIMIT 1
         FOR UPDATE SKIP LOCKED`.execute(trx);
      const row = order.rows[0];
      if (!row) return false;
      await trx
        .updateTable('orders')
        .set({ settled_at: now })
        .where('plat_form_trade_no', '=', row.plat_form_trade_no)
        .where('created_at', '=', createdAtOfOrder(row.plat_form_trade_no))
        .execute();
      await postSettlement(trx, row);
      return true;
    });
    if (!done) break;
    settled += 1;
  }
  return settled;
}
