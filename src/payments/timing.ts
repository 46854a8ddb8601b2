/**
 * When the reconciler looks at an attempt still in flight.
 * - processing: only after the acquirer call must have ended (its timeout) even if this
 *   process died mid-call, so a live call is never second-guessed;
 * - unknown: soon, and then every lease;
 * - challenge: when the customer has surely abandoned the 3-D Secure step.
 */
export const RECHECK_PROCESSING_MS = 60_000;
export const RECHECK_UNKNOWN_MS = 2_000;
export const CHALLENGE_ABANDONED_MS = 15 * 60_000;
export const RECONCILE_LEASE_MS = 15_000;

export const recheckAfter = (status: string, now: Date) =>
  new Date(
    now.getTime() +
      (status === 'challenge' ? CHALLENGE_ABANDONED_MS : status === 'unknown' ? RECHECK_UNKNOWN_MS : RECHECK_PROCESSING_MS),
  );
