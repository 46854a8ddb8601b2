import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Adds this node's request counts for one window to the shared counters and answers the totals
 * across every node, in one statement. Counters of an older window are replaced, not added to;
 * counts arriving late for a window already past are dropped.
 */
export async function addRequestCounts(db: Kysely<Database>, windowStart: number, counts: Map<string, number>) {
  const merchants = [...counts.keys()];
  const hits = merchants.map((merchant) => counts.get(merchant)!);
  const result = await sql<{ merchant_no: string; hits: number }>`
    INSERT INTO rate_limits (merchant_no, window_start, hits)
    SELECT m.merchant_no, ${windowStart}, h.hits
      FROM unnest(${merchants}::text[], ${hits}::int[]) AS h(merchant_no, hits)
      JOIN merchants m ON m.merchant_no = h.merchant_no
    ON CONFLICT (merchant_no) DO UPDATE
      SET hits = CASE
                   WHEN rate_limits.window_start = EXCLUDED.window_start THEN rate_limits.hits + EXCLUDED.hits
                   WHEN rate_limits.window_start > EXCLUDED.window_start THEN rate_limits.hits -- a late sync of a past second
                   ELSE EXCLUDED.hits END,
          window_start = greatest(rate_limits.window_start, EXCLUDED.window_start)
    RETURNING merchant_no, hits`.execute(db);
  return new Map(result.rows.map((row) => [row.merchant_no, Number(row.hits)]));
}
