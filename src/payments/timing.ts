/**
 * When the reconciler looks at an attempt (or refund) still in flight.
 * - processing: only once the acquirer call must have ended (the connector's timeout, plus a
 *   margin), even if this process died mid-call, so a live call is never second-guessed;
 * - unknown: soon, and then every lease;
 * - challenge: when the customer has surely abandoned the 3-D Secure step.
 */
export const RECHECK_UNKNOWN_MS = 2_000;
export const CHALLENGE_ABANDONED_MS = 15 * 60_000;
export const RECONCILE_LEASE_MS = 15_000;
const MARGIN_MS = 5_000;

export const recheckProcessingMs = (acquirerTimeoutMs: number) => acquirerTimeoutMs + MARGIN_MS;

export function recheckAfter(status: string, now: Date, acquirerTimeoutMs: number): Date {
  const wait =
    status === 'challenge' ? CHALLENGE_ABANDONED_MS : status === 'unknown' ? RECHECK_UNKNOWN_MS : recheckProcessingMs(acquirerTimeoutMs);
  return new Date(now.getTime() + wait);
}
