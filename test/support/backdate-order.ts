import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { monthStart, PARTITIONED_TABLES } from '../../src/store/partitions.ts';

/** Makes sure every partitioned table has the partition of `at`'s month (tests that write rows of other months). */
export async function ensureMonth(db: Kysely<Database>, at: Date): Promise<void> {
  for (const table of PARTITIONED_TABLES) await sql`SELECT payrail_ensure_month_partition(${table}, ${monthStart(at)}::date)`.execute(db);
}

/**
 * Moves an order to another creation time, as if created then: its key, its row (into that
 * month's partition) and its attempts (which live in their order's month) together.
 */
export async function backdateOrder(db: Kysely<Database>, orderNo: string, createdAt: Date): Promise<void> {
  await ensureMonth(db, createdAt);
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE order_keys SET created_at = ${createdAt} WHERE plat_form_trade_no = ${orderNo}`.execute(trx);
    await sql`UPDATE orders SET created_at = ${createdAt} WHERE plat_form_trade_no = ${orderNo}`.execute(trx);
    await sql`UPDATE payment_attempts SET order_created_at = ${createdAt} WHERE order_no = ${orderNo}`.execute(trx);
  });
}
