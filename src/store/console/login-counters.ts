import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** One limit on dashboard login tries: at most `max` tries under `key` per window. */
export interface LoginLimit {
  key: string;
  max: number;
}

class LimitReached extends Error {}

/**
 * Reserves one try under every limit, all or none, before the password is checked: each counter
 * row is incremented only while under its limit, in one transaction, so concurrent tries on any
 * number of nodes can never test more passwords than the limit. A window that has run out starts
 * again at one. Answers false (and counts nothing) when any limit is used up.
 */
export async function reserveLoginTry(db: Kysely<Database>, limits: readonly LoginLimit[], windowMs: number, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - windowMs);
  // Keys in one order, so two transactions never wait on each other's rows in a cycle
  const ordered = [...limits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  try {
    await db.transaction().execute(async (trx) => {
      for (const limit of ordered) {
        const counted = await sql<{ tries: number }>`
          INSERT INTO login_counters (key, window_start, tries) VALUES (${limit.key}, ${now}, 1)
          ON CONFLICT (key) DO UPDATE SET
            tries = CASE WHEN login_counters.window_start > ${windowStart} THEN login_counters.tries + 1 ELSE 1 END,
            window_start = CASE WHEN login_counters.window_start > ${windowStart} THEN login_counters.window_start ELSE EXCLUDED.window_start END
          WHERE login_counters.window_start <= ${windowStart} OR login_counters.tries < ${limit.max}
          RETURNING tries`.execute(trx);
        if (counted.rows.length === 0) throw new LimitReached();
      }
    });
    return true;
  } catch (error) {
    if (error instanceof LimitReached) return false;
    throw error;
  }
}

/** Gives back a reserved try that turned out to be the right password. */
export async function releaseLoginTry(db: Kysely<Database>, keys: readonly string[]) {
  if (keys.length === 0) return;
  await db.updateTable('login_counters').set({ tries: sql`greatest(tries - 1, 0)` }).where('key', 'in', keys).execute();
}

export async function clearLoginCounter(db: Kysely<Database>, key: string) {
  await db.deleteFrom('login_counters').where('key', '=', key).execute();
}

export async function isKnownLoginAddress(db: Kysely<Database>, email: string, address: string): Promise<boolean> {
  const row = await db.selectFrom('login_known_addresses').select('address').where('email', '=', email).where('address', '=', address).executeTakeFirst();
  return row !== undefined;
}

export async function rememberLoginAddress(db: Kysely<Database>, email: string, address: string, now: Date) {
  await db
    .insertInto('login_known_addresses')
    .values({ email, address, last_login_at: now })
    .onConflict((conflict) => conflict.columns(['email', 'address']).doUpdateSet({ last_login_at: now }))
    .execute();
}

/** Forgets counters whose window ended long ago, and addresses not used to sign in for a long time. */
export async function pruneLoginCounters(db: Kysely<Database>, countersOlderThan: Date, addressesOlderThan: Date): Promise<void> {
  await db.deleteFrom('login_counters').where('window_start', '<', countersOlderThan).execute();
  await db.deleteFrom('login_known_addresses').where('last_login_at', '<', addressesOlderThan).execute();
}
