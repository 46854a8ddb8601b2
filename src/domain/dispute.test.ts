import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DISPUTE_STAGES, DisputeStatus, disputeMismatchesOf, nextDisputeState, type DisputeMovement, type DisputeStatus as Status } from './dispute.ts';
import { cents } from './money.ts';

/** Runs a sequence of stages through the rule, counting each movement. */
function run(stages: (typeof DISPUTE_STAGES)[number][]) {
  let status: Status | null = null;
  const moved: Record<DisputeMovement, number> = { hold: 0, release: 0, loss: 0 };
  const statuses: (Status | null)[] = [];
  for (const stage of stages) {
    const next = nextDisputeState(status, stage);
    for (const movement of next.movements) moved[movement]++;
    status = next.status;
    statuses.push(status);
  }
  return { status, moved, statuses };
}

describe('the dispute rule', () => {
  it('holds when a dispute opens, releases when it is won, takes it when lost', () => {
    expect(nextDisputeState(null, 'opened')).toEqual({ status: DisputeStatus.Open, movements: ['hold'], notify: 'opened' });
    expect(nextDisputeState(DisputeStatus.Open, 'won')).toEqual({ status: DisputeStatus.Won, movements: ['release'], notify: 'ended' });
    expect(nextDisputeState(DisputeStatus.Open, 'lost')).toEqual({ status: DisputeStatus.Lost, movements: ['loss'], notify: 'ended' });
    expect(nextDisputeState(DisputeStatus.Open, 'funds_withdrawn')).toEqual({ status: DisputeStatus.Open, movements: [], notify: null });
  });

  it('a lost event first holds and takes together; a won event first moves nothing', () => {
    expect(nextDisputeState(null, 'lost').movements).toEqual(['hold', 'loss']);
    expect(nextDisputeState(null, 'won')).toEqual({ status: DisputeStatus.Won, movements: [], notify: 'ended' });
  });

  it('never moves money twice, and a final status never changes, whatever the sequence of events', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DISPUTE_STAGES), { minLength: 1, maxLength: 30 }), (stages) => {
        const { status, moved, statuses } = run(stages);
        expect(moved.hold).toBeLessThanOrEqual(1);
        expect(moved.release + moved.loss).toBeLessThanOrEqual(moved.hold);
        if (status === DisputeStatus.Open) expect(moved).toEqual({ hold: 1, release: 0, loss: 0 });
        if (status === DisputeStatus.Lost) expect(moved).toEqual({ hold: 1, release: 0, loss: 1 });
        if (status === DisputeStatus.Won) expect(moved.loss).toBe(0);
        const firstFinal = statuses.findIndex((s) => s !== DisputeStatus.Open);
        if (firstFinal >= 0) expect(new Set(statuses.slice(firstFinal)).size).toBe(1);
      }),
    );
  });
});

describe('matching a dispute event to the payment', () => {
  const paid = { payment: 'pi_1', paidCents: 5_000, currency: 'USD' };

  it('matches the same payment id and currency (any case) with an amount up to what was paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), (amount) => {
        expect(disputeMismatchesOf(paid, { paymentReference: 'pi_1', amount: cents(amount), currency: 'usd' })).toEqual([]);
      }),
    );
  });

  it('names every field that does not match', () => {
    expect(disputeMismatchesOf(paid, { paymentReference: 'pi_2', amount: cents(5_001), currency: 'EUR' }).map((m) => m.field)).toEqual(['payment', 'currency', 'amount']);
    expect(disputeMismatchesOf(paid, { paymentReference: 'pi_1', amount: cents(0), currency: 'USD' })).toEqual([{ field: 'amount', expected: 'at most 5000', received: '0' }]);
  });
});
