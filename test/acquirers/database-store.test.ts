import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, freshDatabase } from '../support/test-gateway.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createSimulatorAcquirer, type SimulatorAcquirer } from '../../src/acquirers/simulator/simulator.ts';
import { createDatabaseSimulatorStore } from '../../src/store/simulator-records.ts';
import { validateCard } from '../../src/domain/card.ts';
import { cents } from '../../src/domain/money.ts';

const card = (number: string) => {
  const checked = validateCard({ number, expiry: '12/34', cvc: '123', holder: 'Ada' }, new Date());
  if (!checked.ok) throw new Error('bad test card');
  return checked.card;
};
let keys = 0;
const key = () => `att_db_${Date.now()}_${++keys}`;

describeEachDatabase('the simulator on the shared database', (kind) => {
  let handle: DatabaseHandle;
  let nodeA: SimulatorAcquirer;
  let nodeB: SimulatorAcquirer;
  beforeAll(async () => {
    ({ handle } = await freshDatabase(kind));
    await migrateToLatest(handle.db);
    // Two gateway nodes, each with its own connector, sharing the database.
    nodeA = createSimulatorAcquirer({ store: createDatabaseSimulatorStore(handle.db), timeoutDelayMs: 5 });
    nodeB = createSimulatorAcquirer({ store: createDatabaseSimulatorStore(handle.db), timeoutDelayMs: 5 });
  });
  afterAll(() => handle.close());

  it('lets one node find a charge made through another (the reconciler case)', async () => {
    const attempt = key();
    const answer = await nodeA.authorize({ idempotencyKey: attempt, amount: cents(500), currency: 'USD', card: card('4000000000003063') });
    expect(answer.outcome).toBe('unknown');
    expect(await nodeB.queryAuthorization(attempt)).toMatchObject({ outcome: 'approved' });
    expect(await nodeB.chargeCount(attempt)).toBe(1);
  });

  it('charges a key once however many nodes send it at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 12 }), async (senders) => {
        const attempt = key();
        const answers = await Promise.all(
          Array.from({ length: senders }, (_, i) =>
            (i % 2 ? nodeA : nodeB).authorize({ idempotencyKey: attempt, amount: cents(1234), currency: 'USD', card: card('4242424242424242') }),
          ),
        );
        expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
        expect(await nodeA.chargeCount(attempt)).toBe(1);
      }),
      { numRuns: 10 },
    );
  });

  it('settles a 3-D Secure challenge once when completed from two nodes at once', async () => {
    const attempt = key();
    const challenge = await nodeA.authorize({ idempotencyKey: attempt, amount: cents(700), currency: 'USD', card: card('4000000000003220') });
    if (challenge.outcome !== 'challenge') throw new Error('expected a challenge');
    const [one, two] = await Promise.all([nodeA.completeChallenge(challenge.challengeId, '123456'), nodeB.completeChallenge(challenge.challengeId, '123456')]);
    expect(one).toEqual(two);
    expect(one.outcome).toBe('approved');
    expect(await nodeA.chargeCount(attempt)).toBe(1);
  });

  it('never refunds more than was charged, even when refunds race', async () => {
    const attempt = key();
    const sale = await nodeA.authorize({ idempotencyKey: attempt, amount: cents(1000), currency: 'USD', card: card('5555555555554444') });
    if (sale.outcome !== 'approved') throw new Error('expected approval');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? nodeA : nodeB).refund({ idempotencyKey: `${attempt}_r${i}`, reference: sale.reference, amount: cents(400) })),
    );
    expect(results.filter((result) => result.outcome === 'succeeded')).toHaveLength(2);
  });
});
