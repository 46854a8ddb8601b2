import { sql, type Kysely } from 'kysely';

/**
 * Each order counts its own declined and errored attempts (issue 25): the cashier page shows the
 * attempts left without counting `payment_attempts` on every view, and the outcome of a declined
 * attempt decides whether the order fails from the order row it updates anyway. Failed-over
 * attempts (the acquirer said no money moved; the submission went on to the next one) are not
 * counted, as before. Orders that already have failed attempts get their count here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0`.execute(db);
  await sql`
    UPDATE orders o SET failed_attempts = f.n
      FROM (SELECT order_no, order_created_at, count(*)::int AS n FROM payment_attempts
             WHERE status IN ('declined', 'error') AND NOT failed_over
             GROUP BY order_no, order_created_at) f
     WHERE o.plat_form_trade_no = f.order_no AND o.created_at = f.order_created_at`.execute(db);
}
