import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CARD_TESTING_WINDOW, CardTestingScope } from '../domain/card-testing.ts';

/** The card and the client address an attempt is counted against. */
export interface CardTestingKeys {
  fingerprint: string;
  clientIp: string | null;
}

/** Which cap refused an attempt. */
export interface CappedBy {
  card: boolean;
  address: boolean;
}

/**
 * Claims, for a new attempt, a free slot of its card and one of its client address, in the
 * caller's transaction (docs/performance.md, "Card-testing caps"). Each claim is one statement that
 * takes the lowest free slot below the cap, skipping slots other transactions are claiming or
 * releasing (FOR UPDATE SKIP LOCKED), or adds the next slot while there are fewer than the cap: so
 * concurrent attempts of one card or address never wait on each other's transactions, and never
 * more than the cap hold slots at once. Answers undefined when both were claimed; otherwise which
 * cap is full (the caller rolls back, so nothing stays claimed).
 */
export async function claimCardTestingSlots(
  trx: Transaction<Database>,
  attemptId: string,
  keys: CardTestingKeys,
  caps: { cardPerDay: number; ipPerHour: number },
): Promise<CappedBy | undefined> {
  // Card before address: two attempts adding slots to both wait on each other in one order only.
  if (!(await claimSlot(trx, CardTestingScope.Card, keys.fingerprint, caps.cardPerDay, attemptId))) return { card: true, address: false };
  if (keys.clientIp !== null && !(await claimSlot(trx, CardTestingScope.Address, keys.clientIp, caps.ipPerHour, attemptId))) return { card: false, address: true };
  return undefined;
}

async function claimSlot(trx: Transaction<Database>, scope: CardTestingScope, key: string, cap: number, attemptId: string): Promise<boolean> {
  const until = sql`now() + ${sql.lit(CARD_TESTING_WINDOW[scope])}::interval`;
  // Each round either claims, finds the cap full, or lost the race to add slot `next` to another
  // transaction (its insert waited for that one to end): the next round sees that slot.
  for (;;) {
    const { rows } = await sql<{ claimed: number | null; next: number }>`
      WITH free AS (
        SELECT slot FROM card_testing_slots
         WHERE scope = ${scope} AND key = ${key} AND slot < ${cap} AND busy_until <= now()
         ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED),
      taken AS (
        UPDATE card_testing_slots s SET attempt_id = ${attemptId}::text, busy_until = ${until}
          FROM free WHERE s.scope = ${scope} AND s.key = ${key} AND s.slot = free.slot
        RETURNING s.slot),
      next AS (
        SELECT coalesce(max(slot) + 1, 0) AS slot FROM card_testing_slots WHERE scope = ${scope} AND key = ${key}),
      added AS (
        INSERT INTO card_testing_slots (scope, key, slot, attempt_id, busy_until)
        SELECT ${scope}::smallint, ${key}::text, next.slot, ${attemptId}::text, ${until} FROM next
         WHERE next.slot < ${cap} AND NOT EXISTS (SELECT 1 FROM taken)
        ON CONFLICT DO NOTHING
        RETURNING slot)
      SELECT coalesce((SELECT slot FROM taken), (SELECT slot FROM added)) AS claimed, (SELECT slot FROM next)::int AS next`.execute(trx);
    const row = rows[0]!;
    if (row.claimed !== null) return true;
    if (row.next >= cap) return false;
  }
}

/**
 * The attempt ended without a decline: its slots are free again. A data-modifying CTE named
 * `released` of the statement whose CTE `attempt` returns the attempt just settled (nothing is
 * released when it returns no row).
 */
export const releaseSlotsCte = () => sql`
  released AS (
    UPDATE card_testing_slots s SET attempt_id = NULL, busy_until = '-infinity'
      FROM attempt a
     WHERE s.attempt_id = a.id
       AND ((s.scope = ${CardTestingScope.Card} AND s.key = a.card_fingerprint) OR (s.scope = ${CardTestingScope.Address} AND s.key = a.client_ip)))`;

/** A failed-over attempt's submission goes on as a new attempt, which keeps the slots. */
export async function handOverCardTestingSlots(trx: Transaction<Database>, from: string, to: string, keys: CardTestingKeys): Promise<void> {
  await sql`UPDATE card_testing_slots SET attempt_id = ${to} WHERE ${keyCondition(keys)} AND attempt_id = ${from}`.execute(trx);
}

const keyCondition = (keys: CardTestingKeys) =>
  keys.clientIp === null
    ? sql`scope = ${CardTestingScope.Card} AND key = ${keys.fingerprint}`
    : sql`((scope = ${CardTestingScope.Card} AND key = ${keys.fingerprint}) OR (scope = ${CardTestingScope.Address} AND key = ${keys.clientIp}))`;
