import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { describeEachDatabase, freshDatabase } from '../support/test-gateway.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { CardTestingScope } from '../../src/domain/card-testing.ts';
import { finishSlotClaims, releaseSlotsCte, slotClaimAnswers, slotClaimCtes, type CappedBy, type CardTestingCaps, type CardTestingKeys, type SlotClaims } from '../../src/store/card-testing-slots.ts';
import { sweepCardTestingSlots } from '../../src/store/card-testing-sweep.ts';

/**
 * The card-testing slots' sweep (src/store/card-testing-sweep.ts) deletes free slots while
 * payments claim and release them: never more than the cap hold a key's slots, a claim is refused
 * while the key has room only when another transaction may have held a free slot locked (the
 * early refusal), and a swept key starts again from nothing. The claims and
 * releases here are the store's own statements, as startAttempt and the outcome run them.
 */
class Capped extends Error {}

/** Claims the attempt's slots as startAttempt does: one transaction, rolled back when a cap is full. Answers which cap refused it (undefined: claimed). */
async function claimOrCap(db: Kysely<Database>, attemptId: string, keys: CardTestingKeys, caps: CardTestingCaps): Promise<CappedBy | undefined> {
  let capped: CappedBy | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<SlotClaims>`WITH ${slotClaimCtes(attemptId, keys, caps)} SELECT ${slotClaimAnswers(keys)}`.execute(trx);
      capped = await finishSlotClaims(trx, attemptId, keys, caps, rows[0]!);
      if (capped) throw new Capped();
    });
    return undefined;
  } catch (error) {
    if (error instanceof Capped) return capped;
    throw error;
  }
}

const claim = async (db: Kysely<Database>, attemptId: string, keys: CardTestingKeys, caps: CardTestingCaps) => (await claimOrCap(db, attemptId, keys, caps)) === undefined;

/** An approval or an error: the attempt's slots are free again. */
async function release(db: Kysely<Database>, attemptId: string, keys: CardTestingKeys): Promise<void> {
  await sql`
    WITH attempt AS (SELECT ${attemptId}::text AS id, ${keys.fingerprint}::text AS card_fingerprint, ${keys.clientIp}::text AS client_ip),
    ${releaseSlotsCte()}
    SELECT 1`.execute(db);
}

/** A declined attempt's window has passed: its slots are free, though nobody released them. */
const passWindow = (db: Kysely<Database>, where: { attemptId?: string; keyPrefix?: string }) =>
  sql`UPDATE card_testing_slots SET busy_until = now() - interval '1 second'
       WHERE ${where.attemptId ? sql`attempt_id = ${where.attemptId}` : sql`key LIKE ${`${where.keyPrefix}%`}`}`.execute(db);

const slotsOf = async (db: Kysely<Database>, key: string) =>
  (await sql<{ slot: number; busy: boolean }>`SELECT slot, busy_until > now() AS busy FROM card_testing_slots WHERE key = ${key} ORDER BY scope, slot`.execute(db)).rows;

let runs = 0;
const fresh = () => `k${Date.now().toString(36)}_${(runs += 1)}_`;

describeEachDatabase('the card-testing slots sweep', (kind) => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  beforeAll(async () => {
    ({ handle } = await freshDatabase(kind));
    await migrateToLatest(handle.db);
    db = handle.db;
  });
  afterAll(() => handle.close());

  it('deletes free slots only (released, or declined past their window), in batches, and nothing busy', async () => {
    const prefix = fresh();
    const caps = { cardPerDay: 30, ipPerHour: 30 };
    const card = (i: number) => ({ fingerprint: `${prefix}card`, clientIp: null, id: `${prefix}att${i}` });
    for (let i = 0; i < 25; i += 1) expect(await claim(db, card(i).id, card(i), caps)).toBe(true);
    for (let i = 0; i < 10; i += 1) await release(db, card(i).id, card(i));
    for (let i = 10; i < 15; i += 1) await passWindow(db, { attemptId: card(i).id });
    // 15 free, 10 busy: two batches of 4 leave 7 free for the next sweep.
    expect(await sweepCardTestingSlots(db, 4, 2)).toBe(8);
    expect(await sweepCardTestingSlots(db, 4, 100)).toBe(7);
    const left = await slotsOf(db, `${prefix}card`);
    expect(left.map((row) => row.slot)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(left.every((row) => row.busy)).toBe(true);
    expect(await sweepCardTestingSlots(db)).toBe(0);
  });

  it('a slot swept below busy ones is claimed again: the cap is not lowered by the gap', async () => {
    const prefix = fresh();
    const caps = { cardPerDay: 3, ipPerHour: 3 };
    const keys = { fingerprint: `${prefix}card`, clientIp: `${prefix}ip` };
    for (const id of ['a', 'b', 'c']) expect(await claim(db, `${prefix}${id}`, keys, caps)).toBe(true);
    // The first attempt is paid; the sweep deletes its slots (0), while slots 1 and 2 stay busy.
    await release(db, `${prefix}a`, keys);
    expect(await sweepCardTestingSlots(db)).toBeGreaterThanOrEqual(2);
    expect((await slotsOf(db, keys.fingerprint)).map((row) => row.slot)).toEqual([1, 2]);
    // With `max + 1` the next slot would be 3, past the cap: refused with only two attempts holding slots.
    expect(await claim(db, `${prefix}d`, keys, caps)).toBe(true);
    expect(await claim(db, `${prefix}e`, keys, caps)).toBe(false);
    expect((await slotsOf(db, keys.fingerprint)).map((row) => row.slot)).toEqual([0, 1, 2]);
  });

  it('model: sweeps running throughout a burst of claims, releases and declines never let more than the cap hold a key, refuse a key with room only where another claim or a sweep statement ran meanwhile, and swept keys start from nothing', async () => {
    const op = fc.record({
      card: fc.integer({ min: 0, max: 2 }),
      ip: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
      end: fc.constantFrom('paid', 'error', 'declined', 'declined, window passed'),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.array(op, { minLength: 4, maxLength: 24 }), async (cardPerDay, ipPerHour, ops) => {
        const prefix = fresh();
        const caps = { cardPerDay, ipPerHour };
        const capOf = (key: string) => (key.includes('card') ? cardPerDay : ipPerHour);
        // Attempts known to hold a key's slots: counted after the claim commits, uncounted before
        // the release starts, so never more than truly hold them.
        const held = new Map<string, number>();
        const over: string[] = [];
        const keysOf = (card: number, ip: number | null): CardTestingKeys => ({ fingerprint: `${prefix}card${card}`, clientIp: ip === null ? null : `${prefix}ip${ip}` });
        const names = (keys: CardTestingKeys) => (keys.clientIp === null ? [keys.fingerprint] : [keys.fingerprint, keys.clientIp]);
        const hold = (keys: CardTestingKeys) => {
          for (const key of names(keys)) {
            held.set(key, (held.get(key) ?? 0) + 1);
            if (held.get(key)! > capOf(key)) over.push(`${key}: ${held.get(key)} hold, cap ${capOf(key)}`);
          }
        };
        const drop = (keys: CardTestingKeys) => {
          for (const key of names(keys)) held.set(key, held.get(key)! - 1);
        };
        // An upper bound of the attempts that may hold or lock a key's slots: counted from a
        // claim's start and kept while it holds them, uncounted when its claim is refused (after
        // the rollback) or its release or its window's passing has committed.
        const bound = new Map<string, number>();
        // Claims in progress, each with the most other attempts its keys' bounds counted meanwhile.
        const claiming = new Set<{ keys: string[]; peak: Map<string, number> }>();
        const enter = (keys: CardTestingKeys) => {
          for (const key of names(keys)) {
            bound.set(key, (bound.get(key) ?? 0) + 1);
            for (const other of claiming) if (other.peak.has(key)) other.peak.set(key, Math.max(other.peak.get(key)!, bound.get(key)! - 1));
          }
        };
        const leave = (keys: CardTestingKeys) => {
          for (const key of names(keys)) bound.set(key, bound.get(key)! - 1);
        };
        // Refusals whose key had room all along: a violation unless a sweep statement ran meanwhile
        // (it locks free slots, which a claim skips: the documented early refusal, like a claim's lock).
        const early: string[] = [];
        let sweeping = false;
        let sweepsStarted = 0;

        let burstDone = false;
        const sweeper = (async () => {
          let sweeps = 0;
          while (!burstDone || sweeps === 0) {
            sweeping = true;
            sweepsStarted += 1;
            await sweepCardTestingSlots(db, 2, 2);
            sweeping = false;
            sweeps += 1;
            // A pause, so that many claims run while no sweep statement does.
            await new Promise((resolve) => setTimeout(resolve, 3));
          }
        })();
        await Promise.all(
          ops.map(async (step, i) => {
            const keys = keysOf(step.card, step.ip);
            const id = `${prefix}att${i}`;
            enter(keys);
            const me = { keys: names(keys), peak: new Map(names(keys).map((key) => [key, bound.get(key)! - 1])) };
            claiming.add(me);
            const sweepSeen = { running: sweeping, started: sweepsStarted };
            const capped = await claimOrCap(db, id, keys, caps);
            claiming.delete(me);
            if (capped) {
              leave(keys);
              const key = capped.card ? keys.fingerprint : keys.clientIp!;
              const swept = sweepSeen.running || sweepsStarted !== sweepSeen.started;
              if (me.peak.get(key)! < capOf(key) && !swept) early.push(`${key}: refused with at most ${me.peak.get(key)} others, cap ${capOf(key)}`);
              return;
            }
            hold(keys);
            if (step.end === 'paid' || step.end === 'error') {
              drop(keys);
              await release(db, id, keys);
              leave(keys);
            } else if (step.end === 'declined, window passed') {
              drop(keys);
              await passWindow(db, { attemptId: id });
              leave(keys);
            }
          }),
        );
        burstDone = true;
        await sweeper;
        expect(over).toEqual([]);
        expect(early).toEqual([]);

        // Quiet now: the busy slots are exactly the attempts that hold them...
        const busy = await sql<{ scope: number; key: string; n: number }>`
          SELECT scope, key, count(*)::int AS n FROM card_testing_slots WHERE key LIKE ${`${prefix}%`} AND busy_until > now() GROUP BY scope, key`.execute(db);
        expect(new Map(busy.rows.map((row) => [row.key, row.n]))).toEqual(new Map([...held].filter(([, n]) => n > 0)));
        // ...and every key takes exactly as many more as its cap has room for, whatever the sweeps left.
        let probes = 0;
        const room = async (keyOf: () => CardTestingKeys) => {
          let taken = 0;
          while (await claim(db, `${prefix}probe${(probes += 1)}`, keyOf(), caps)) taken += 1;
          return taken;
        };
        for (const card of [0, 1, 2]) {
          const key = `${prefix}card${card}`;
          expect(await room(() => ({ fingerprint: key, clientIp: null }))).toBe(cardPerDay - (held.get(key) ?? 0));
        }
        for (const ip of [0, 1]) {
          const key = `${prefix}ip${ip}`;
          expect(await room(() => ({ fingerprint: `${prefix}probecard${probes}`, clientIp: key }))).toBe(ipPerHour - (held.get(key) ?? 0));
        }

        // Every window passes: the sweep leaves nothing of these keys, and a key starts again at slot 0.
        await passWindow(db, { keyPrefix: prefix });
        while ((await sweepCardTestingSlots(db)) > 0);
        expect((await sql`SELECT *, now() AS now FROM card_testing_slots WHERE key LIKE ${`${prefix}%`}`.execute(db)).rows).toEqual([]);
        const again = keysOf(0, 0);
        expect(await room(() => again)).toBe(Math.min(cardPerDay, ipPerHour));
        expect((await slotsOf(db, again.fingerprint)).map((row) => row.slot)).toEqual(Array.from({ length: Math.min(cardPerDay, ipPerHour) }, (_, i) => i));
      }),
      { numRuns: kind === 'pglite' ? 15 : 25 },
    );
  });
});

describe('a claim while a free slot is locked by another transaction [postgres]', () => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  beforeAll(async () => {
    ({ handle } = await freshDatabase('postgres'));
    await migrateToLatest(handle.db);
    db = handle.db;
  });
  afterAll(() => handle.close());

  /** Locks the key's slot `slot` in a transaction left open while `meanwhile` runs (as a claim taking it would). */
  async function whileLocked<T>(key: string, slot: number, meanwhile: () => Promise<T>): Promise<T> {
    let answer: T | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT 1 FROM card_testing_slots WHERE scope = ${CardTestingScope.Card} AND key = ${key} AND slot = ${slot} FOR UPDATE`.execute(trx);
        // A claim that waited for the lock would wait forever here: fail after 5 s instead.
        answer = await Promise.race([meanwhile(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the claim waited for the locked slot')), 5_000))]);
        throw new Capped(); // roll back: the lock's holder took nothing
      })
      .catch((error) => {
        if (!(error instanceof Capped)) throw error;
      });
    return answer as T;
  }

  const holderOf = async (key: string, slot: number) =>
    (await sql<{ attempt_id: string | null }>`SELECT attempt_id FROM card_testing_slots WHERE scope = ${CardTestingScope.Card} AND key = ${key} AND slot = ${slot}`.execute(db)).rows[0]?.attempt_id;

  it('cap 3, slot 0 missing, slot 1 free but locked, slot 2 busy: takes slot 0 at once, in the one statement', async () => {
    const prefix = fresh();
    const caps = { cardPerDay: 3, ipPerHour: 3 };
    const keys = { fingerprint: `${prefix}card`, clientIp: null };
    for (const id of ['a', 'b', 'c']) expect(await claim(db, `${prefix}${id}`, keys, caps)).toBe(true);
    await release(db, `${prefix}a`, keys);
    await release(db, `${prefix}b`, keys);
    await sql`DELETE FROM card_testing_slots WHERE scope = ${CardTestingScope.Card} AND key = ${keys.fingerprint} AND slot = 0`.execute(db);
    const taken = await whileLocked(keys.fingerprint, 1, async () => {
      const { rows } = await sql<SlotClaims>`WITH ${slotClaimCtes(`${prefix}d`, keys, caps)} SELECT ${slotClaimAnswers(keys)}`.execute(db);
      // Seen from here while the other transaction still holds slot 1.
      return { claims: rows[0]!, holder: await holderOf(keys.fingerprint, 0) };
    });
    expect(taken.claims.card_claimed).toBe(0);
    expect(taken.holder).toBe(`${prefix}d`);
    expect((await slotsOf(db, keys.fingerprint)).map((row) => [row.slot, row.busy])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
  });

  it('the early refusal: the only free slot locked by another claim is skipped, not waited for; taken once that claim rolled back', async () => {
    const prefix = fresh();
    const caps = { cardPerDay: 1, ipPerHour: 1 };
    const keys = { fingerprint: `${prefix}card`, clientIp: null };
    expect(await claim(db, `${prefix}a`, keys, caps)).toBe(true);
    await release(db, `${prefix}a`, keys);
    expect(await whileLocked(keys.fingerprint, 0, () => claim(db, `${prefix}b`, keys, caps))).toBe(false);
    expect(await claim(db, `${prefix}c`, keys, caps)).toBe(true);
    expect(await holderOf(keys.fingerprint, 0)).toBe(`${prefix}c`);
  });
});
