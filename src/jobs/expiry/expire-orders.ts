import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Moves open orders past their expiry, with no payment under way, to 00030 EXPIRED, and queues
 * their notifications in the same statement. A payment under way when the clock passes expiry
 * finishes normally; if it is declined, the next sweep expires the order.
 * Safe on several nodes at once: rows are claimed with SKIP LOCKED and updated only while still open.
 */
export async function expireOrders(db: Kysely<Database>, batch = 500): Promise<string[]> {
  const expired = await sql<{ plat_form_trade_no: string }>`
    WITH expired AS (
      UPDATE orders SET status = '00030', status_desc = 'EXPIRED', ended_at = now()
       WHERE plat_form_trade_no IN (
         SELECT plat_form_trade_no FROM orders
          WHERE status = '0015' AND status_desc = 'CREATED' AND expires_at <= now()
          ORDER BY expires_at
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED)
         AND status = '0015' AND status_desc = 'CREATED'
      RETURNING plat_form_trade_no
    ), events AS (
      INSERT INTO order_events (order_no, type) SELECT plat_form_trade_no, 'expired' FROM expired
    ), notifications AS (
      INSERT INTO jobs (id, kind, order_no) SELECT replace(gen_random_uuid()::text, '-', ''), 'notify', plat_form_trade_no FROM expired
    )
    SELECT plat_form_trade_no FROM expired`.execute(db);
  return expired.rows.map((row) => row.plat_form_trade_no);
}
