/**
 * When the reconciler looks at an attempt (or refund) still in flight.
 * - processing: only once the acquirer call must have ended (the connector's timeout, plus a
 *   margin), even if this process died mid-call, so a live call is never second-guessed;
 * - unknown: soon, and then every lease;
 * - challenge: when the customer has surely abandoned the 3-D Secure step.
 */
export const RECHECK_UNKNOWN_MS = 2_000;
export const CHALLENGE_ABANDONED_MS = 15 * 60_000;
const MARGIN_MS = 5_000;

export const recheckProcessingMs = (acquirerTimeoutMs: number) => acquirerTimeoutMs + MARGIN_MS;

/** How long a reconciler's claim lasts: longer than the acquirer query it makes. */
export const reconcileLeaseMs = (acquirerTimeoutMs: number) => 2 * acquirerTimeoutMs + MARGIN_MS;

/**
 * An acquirer that has no record of a request may still receive it (a queue, a retrying load
 * balancer). Only this long after we sent it is "not found" taken to mean it never arrived.
 */
export const notFoundIsFinalAfterMs = (acquirerTimeoutMs: number) => 10 * acquirerTimeoutMs;

export function recheckAfter(status: string, now: Date, acquirerTimeoutMs: number): Date {
  const wait =
    status === 'challenge' ? CHALLENGE_ABANDONED_MS : status === 'unknown' ? RECHECK_UNKNOWN_MS : recheckProcessingMs(acquirerTimeoutMs);
  return new Date(now.getTime() + wait);
}
