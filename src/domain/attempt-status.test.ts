import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canMoveAttempt, isInFlight, orderAfterFailedAttempt, type AttemptStatus } from './attempt-status.ts';

const ALL: AttemptStatus[] = ['processing', 'challenge', 'approved', 'declined', 'error', 'unknown'];

describe('the attempt state machine', () => {
  it('never leaves a final status', () => {
    for (const from of ['approved', 'declined', 'error'] as const) {
      for (const to of ALL) expect(canMoveAttempt(from, to)).toBe(false);
    }
  });

  it('never goes back to processing, and never answers unknown twice in a row', () => {
    for (const from of ALL) expect(canMoveAttempt(from, 'processing')).toBe(false);
    expect(canMoveAttempt('unknown', 'unknown')).toBe(false);
    expect(canMoveAttempt('unknown', 'challenge')).toBe(false);
  });

  it('lets a challenge end in payment or refusal', () => {
    expect(canMoveAttempt('processing', 'challenge')).toBe(true);
    expect(canMoveAttempt('challenge', 'approved')).toBe(true);
    expect(canMoveAttempt('challenge', 'declined')).toBe(true);
  });

  it('counts processing, challenge and unknown as in flight', () => {
    expect(ALL.filter(isInFlight)).toEqual(['processing', 'challenge', 'unknown']);
  });

  it('any walk through the machine is at most three steps and ends final or in flight', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { maxLength: 10 }), (steps) => {
        let state: AttemptStatus = 'processing';
        let moves = 0;
        for (const step of steps) {
          if (canMoveAttempt(state, step)) {
            state = step;
            moves += 1;
          }
        }
        expect(moves).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('fails the order at the attempt limit and not before', () => {
    expect(orderAfterFailedAttempt(4, 5, 'DO_NOT_HONOR')).toEqual({ status: '0015', desc: 'CREATED' });
    expect(orderAfterFailedAttempt(5, 5, 'DO_NOT_HONOR')).toEqual({ status: '00029', desc: 'FAILED: DO_NOT_HONOR' });
  });
});
