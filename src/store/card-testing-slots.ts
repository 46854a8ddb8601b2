import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fixedText } from './compiled-once.ts';
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

/** One claim's answer: the slot taken (null: none), and the number a new slot would have had. */
interface ClaimAnswer {
  claimed: number | null;
  next: number;
}

/**
 * One claim as data-modifying CTEs named `<name>_free`, `<name>_taken`, `<name>_next` and
 * `<name>_added`: takes the lowest slot below the cap whose `busy_until` has passed, skipping slots
 * other transactions are claiming, releasing or sweeping (FOR UPDATE SKIP LOCKED), or adds the
 * next slot while there are fewer than the cap. `claimAnswer(name)` selects what it did. It never
 * waits for another transaction, except when its insert races another's for the same new slot.
 *
 * The next slot is `max + 1` (one index probe) while that is below the cap. The sweep
 * (card-testing-sweep.ts) deletes free slots one by one, so a key's slots may have gaps below its
 * highest, and `max + 1` may reach the cap while a slot is missing: only then (a CASE branch, same
 * statement, same text) the next slot is the lowest missing slot number below the cap (the cap
 * when there is none: nothing is added).
 */
function claimCtes(name: string, scope: CardTestingScope, key: string, cap: number, attemptId: string, after?: string) {
  const until = sql`now() + ${sql.lit(CARD_TESTING_WINDOW[scope])}::interval`;
  const [free, taken, next, added] = ['free', 'taken', 'next', 'added'].map((part) => sql.table(`${name}_${part}`));
  // Only once the claim `after` took its slot: this one neither locks nor adds a slot before it.
  const gate = after ? sql` AND EXISTS (SELECT 1 FROM ${sql.table(`${after}_taken`)} UNION ALL SELECT 1 FROM ${sql.table(`${after}_added`)})` : sql``;
  return sql`
    ${free} AS (
      SELECT slot FROM card_testing_slots
       WHERE scope = ${scope} AND key = ${key} AND slot < ${cap} AND busy_until <= now()${gate}
       ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED),
    ${taken} AS (
      UPDATE card_testing_slots s SET attempt_id = ${attemptId}::text, busy_until = ${until}
        FROM ${free} f WHERE s.scope = ${scope} AND s.key = ${key} AND s.slot = f.slot
      RETURNING s.slot),
    ${next} AS (
      SELECT CASE WHEN m.slot < ${cap}::int THEN m.slot ELSE ${lowestMissingSlot(scope, key, cap)} END AS slot
        FROM (SELECT coalesce(max(slot) + 1, 0) AS slot FROM card_testing_slots WHERE scope = ${scope} AND key = ${key}) m),
    ${added} AS (
      INSERT INTO card_testing_slots (scope, key, slot, attempt_id, busy_until)
      SELECT ${scope}::smallint, ${key}::text, n.slot, ${attemptId}::text, ${until} FROM ${next} n
       WHERE n.slot < ${cap} AND NOT EXISTS (SELECT 1 FROM ${taken})${gate}
      ON CONFLICT DO NOTHING
      RETURNING slot)`;
}

/** The lowest slot number below the cap that has no row (the cap when there is none), as a scalar expression. */
const lowestMissingSlot = (scope: CardTestingScope, key: string, cap: number) => sql`(
        CASE WHEN NOT EXISTS (SELECT 1 FROM card_testing_slots WHERE scope = ${scope} AND key = ${key} AND slot = 0) THEN 0
             ELSE coalesce((SELECT min(s.slot) + 1 FROM card_testing_slots s
                             WHERE s.scope = ${scope} AND s.key = ${key} AND s.slot + 1 < ${cap}::int
                               AND NOT EXISTS (SELECT 1 FROM card_testing_slots t WHERE t.scope = ${scope} AND t.key = ${key} AND t.slot = s.slot + 1)), ${cap}::int)
             END)`;

const claimAnswer = (name: string) => {
  const [taken, next, added] = ['taken', 'next', 'added'].map((part) => sql.table(`${name}_${part}`));
  return sql`coalesce((SELECT slot FROM ${taken}), (SELECT slot FROM ${added})) AS ${sql.ref(`${name}_claimed`)}, (SELECT slot FROM ${next})::int AS ${sql.ref(`${name}_next`)}`;
};

/**
 * The card's and the address's claims, as CTEs of the statement that writes the attempt (its
 * columns `card_claimed`, `card_next`, `address_claimed`, `address_next` come from
 * `slotClaimAnswers`). Card before address: the address's claim locks or adds a slot only once
 * the card's took one (a statement's CTEs run in no set order otherwise), so a claim never holds
 * an address slot while its insert waits for a card slot, and two attempts wait on each other in
 * one order only.
 */
export function slotClaimCtes(attemptId: string, keys: CardTestingKeys, caps: CardTestingCaps) {
  const card = claimCtes('card', CardTestingScope.Card, keys.fingerprint, caps.cardPerDay, attemptId);
  return keys.clientIp === null ? card : sql`${card}, ${claimCtes('address', CardTestingScope.Address, keys.clientIp, caps.ipPerHour, attemptId, 'card')}`;
}

export const slotClaimAnswers = (keys: CardTestingKeys) =>
  keys.clientIp === null ? sql`${claimAnswer('card')}, NULL::int AS address_claimed, 0 AS address_next` : sql`${claimAnswer('card')}, ${claimAnswer('address')}`;

/** What `slotClaimCtes` did, as the statement's row reports it. */
export interface SlotClaims {
  card_claimed: number | null;
  card_next: number;
  address_claimed: number | null;
  address_next: number;
}

/**
 * Finishes the claims a statement made with `slotClaimCtes` (docs/performance.md, "Card-testing
 * caps"): a claim that lost the race to add a slot to another transaction (its insert waited for
 * that one to end) tries again, now seeing that slot. So concurrent attempts of one card or
 * address never wait on each other's transactions, and never more than the cap hold slots at
 * once. Answers undefined when both were claimed; otherwise which cap is full (the caller rolls
 * back, so nothing stays claimed).
 *
 * A claim waits (only an insert racing another's for the same new slot) only for card slots
 * while holding no address slot, and for address slots while holding a card slot, never the other
 * way round, so two claims never wait on each other in a cycle: the statement claims the address
 * only once it has the card's slot (`slotClaimCtes`), and the card goes on here before the
 * address.
 */
export async function finishSlotClaims(trx: Transaction<Database>, attemptId: string, keys: CardTestingKeys, caps: CardTestingCaps, claims: SlotClaims): Promise<CappedBy | undefined> {
  const card = { claimed: claims.card_claimed, next: claims.card_next };
  const address = { claimed: claims.address_claimed, next: claims.address_next };
  if (!(await claimed(trx, card, CardTestingScope.Card, keys.fingerprint, caps.cardPerDay, attemptId))) return { card: true, address: false };
  // The statement's address claim ran only if its card claim took a slot there (`slotClaimCtes`).
  const addressRan = claims.card_claimed !== null;
  if (keys.clientIp !== null && !(await claimed(trx, address, CardTestingScope.Address, keys.clientIp, caps.ipPerHour, attemptId, addressRan))) return { card: false, address: true };
  return undefined;
}

/** Card-testing caps: slots per card (24 h window) and per client address (1 h window). */
export interface CardTestingCaps {
  cardPerDay: number;
  ipPerHour: number;
}

/**
 * Whether a claim got its slot, trying again (one statement a round) while it only lost a race to
 * add one, or did not run (`ran` false: the statement held the address's claim back because the
 * card's took its slot only here). A claim whose next slot is the cap is refused at once: every
 * slot number below the cap has a row, none free and unlocked. It never waits for a locked free slot, so it may be
 * refused while one is locked by a claim that later rolls back or by the sweep deleting it (the
 * early refusal, docs/performance.md); it is never given a slot past the cap.
 */
async function claimed(trx: Transaction<Database>, answer: ClaimAnswer, scope: CardTestingScope, key: string, cap: number, attemptId: string, ran = true): Promise<boolean> {
  for (let round = answer; ; ran = true) {
    if (round.claimed !== null) return true;
    if (round.next >= cap && ran) return false;
    // Its text is fixed (one shape): prepared (compiled-once.ts, fixedText).
    const { rows } = await fixedText(trx, sql<{ x_claimed: number | null; x_next: number }>`
      WITH ${claimCtes('x', scope, key, cap, attemptId)}
      SELECT ${claimAnswer('x')}`);
    round = { claimed: rows[0]!.x_claimed, next: rows[0]!.x_next };
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
