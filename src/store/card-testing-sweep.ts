import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Slot rows one sweep statement deletes at most: one short transaction each. */
export const CARD_TESTING_SWEEP_BATCH = 1_000;
/** Statements one sweep runs at most; what is left waits for the next sweep. */
export const CARD_TESTING_SWEEP_MAX_BATCHES = 100;

/**
 * Deletes the card-testing slots that hold nothing (docs/performance.md, "Card-testing caps
 * without a lock"): released ones, and declined ones whose window has passed. Without it every
 * card and every address ever seen would leave rows behind forever.
 *
 * In batches of `batch` rows, each its own statement, until a batch comes back short or
 * `maxBatches` have run. Rows another transaction holds (a claim taking the slot, a release) are
 * skipped (FOR UPDATE SKIP LOCKED), so the sweep never waits and no payment waits long for it,
 * and two nodes sweeping at once delete different rows. A row is deleted only when its newest
 * version is still free: a slot claimed after the sweep looked is kept.
 *
 * Exactness: a missing slot is as good as a free one (a claim adds the lowest slot number below
 * the cap that has no row), and a key never has more rows below its cap than the cap, so deleting
 * any free slot, alone or with its key's others, neither lets more than the cap hold slots nor
 * lowers the cap. A claim skips a free slot the sweep holds, as any locked slot, so while one of
 * its statements runs a claim at the cap may be refused early (card-testing-slots.ts; never given a
 * slot past the cap). Answers the rows deleted.
 */
export async function sweepCardTestingSlots(db: Kysely<Database>, batch = CARD_TESTING_SWEEP_BATCH, maxBatches = CARD_TESTING_SWEEP_MAX_BATCHES): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < maxBatches; round += 1) {
    const { rows } = await sql<{ n: number }>`
      WITH swept AS (
        DELETE FROM card_testing_slots s
         USING (SELECT scope, key, slot FROM card_testing_slots WHERE busy_until <= now() LIMIT ${batch} FOR UPDATE SKIP LOCKED) f
         WHERE s.scope = f.scope AND s.key = f.key AND s.slot = f.slot
        RETURNING 1)
      SELECT count(*)::int AS n FROM swept`.execute(db);
    const count = rows[0]!.n;
    deleted += count;
    if (count < batch) break;
  }
  return deleted;
}
