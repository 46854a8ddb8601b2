import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attemptLimit, canMoveAttempt, failedAttemptMove, isInFlight, type AttemptStatus } from './attempt-status.ts';

const ALL: AttemptStatus[] = ['processing', 'challenge', 'approved', 'declined', 'error', 'unknown'];

describe('the attempt state machine', () => {
  it('never leaves a final status', () => {
    for (const from of ['approved', 'declined', 'error'] as const) {
      for (const to of ALL) expect(canMoveAttempt(from, to)).toBe(false);
    }
  });

  it('goes back to processing only when the customer answers a challenge', () => {
    expect(ALL.filter((from) => canMoveAttempt(from, 'processing'))).toEqual(['challenge']);
    expect(canMoveAttempt('unknown', 'unknown')).toBe(false);
    expect(canMoveAttempt('unknown', 'processing')).toBe(false);
  });

  it('settles a challenge only through the acquirer, or ends it as abandoned', () => {
    expect(canMoveAttempt('processing', 'challenge')).toBe(true);
    expect(canMoveAttempt('challenge', 'processing')).toBe(true);
    expect(canMoveAttempt('challenge', 'error')).toBe(true);
    // The customer's answer is recorded from processing (claimed first), so a reconciler that read
    // `challenge` before the claim loses its compare-and-set. A processor that settled the
    // challenge on its own page says so by webhook or query: its word moves the attempt.
    expect(canMoveAttempt('challenge', 'approved')).toBe(true);
    expect(canMoveAttempt('challenge', 'declined')).toBe(true);
    // An attempt whose answer was lost may turn out to wait for the customer's code.
    expect(canMoveAttempt('unknown', 'challenge')).toBe(true);
    expect(canMoveAttempt('challenge', 'unknown')).toBe(false);
  });

  it('counts processing, challenge and unknown as in flight', () => {
    expect(ALL.filter(isInFlight)).toEqual(['processing', 'challenge', 'unknown']);
  });

  it('once a walk through the machine reaches a final status, it stays there', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { maxLength: 12 }), (steps) => {
        let state: AttemptStatus = 'processing';
        let ended: AttemptStatus | undefined;
        for (const step of steps) {
          if (canMoveAttempt(state, step)) state = step;
          if (ended) expect(state).toBe(ended);
          if (!isInFlight(state)) ended = state;
        }
      }),
    );
  });

  it('makes the order payable again, or FAILED with the reason at the limit: one decline for a merchant-initiated charge', () => {
    expect(failedAttemptMove('DO_NOT_HONOR')).toEqual({ reopened: { status: '0015', desc: 'CREATED' }, ended: { status: '00029', desc: 'FAILED: DO_NOT_HONOR' } });
    expect(attemptLimit(false, 5)).toBe(5);
    expect(attemptLimit(true, 5)).toBe(1);
  });
});
