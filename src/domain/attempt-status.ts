import { OrderState, failedOrder } from './order-status.ts';

/**
 * The payment attempt state machine. One attempt is one card tried once, with its own
 * idempotency key at the acquirer. At most one attempt per order is in flight. Mirrored by the
 * CHECK constraint on `payment_attempts.status` (migration 0003).
 *
 *   processing ──► approved | declined | error | challenge | unknown
 *   challenge  ──► processing (the customer's code is on its way to the acquirer)
 *              ──► approved | declined (the processor settled the challenge itself: its webhook or a query says so)
 *              ──► error      (abandoned: the reconciler ends it)
 *   unknown    ──► approved | declined | error      (by the reconciler, asking the acquirer)
 *              ──► challenge  (the acquirer says it waits for the customer's code; ended as abandoned later)
 */
export const AttemptStatus = {
  /** Sent (or about to be sent) to the acquirer; no answer yet. In flight. */
  Processing: 'processing',
  /** The issuer asked for 3-D Secure; waiting for the customer's code. In flight. */
  Challenge: 'challenge',
  /** Money moved: the order is paid. Final. */
  Approved: 'approved',
  /** The issuer refused the card; no money moved. Final for the attempt, not the order. */
  Declined: 'declined',
  /** The acquirer refused to process it (or it never arrived); no money moved. Final. */
  Error: 'error',
  /** We do not know whether money moved; the reconciler will ask. In flight. */
  Unknown: 'unknown',
} as const;

export type AttemptStatus = (typeof AttemptStatus)[keyof typeof AttemptStatus];

export const IN_FLIGHT: readonly AttemptStatus[] = [AttemptStatus.Processing, AttemptStatus.Challenge, AttemptStatus.Unknown];
/** Attempts that count towards the order's attempt limit. */
export const FAILED_ATTEMPT: readonly AttemptStatus[] = [AttemptStatus.Declined, AttemptStatus.Error];

const NEXT: Record<AttemptStatus, readonly AttemptStatus[]> = {
  processing: ['approved', 'declined', 'error', 'challenge', 'unknown'],
  challenge: ['processing', 'approved', 'declined', 'error'],
  unknown: ['approved', 'declined', 'error', 'challenge'],
  approved: [],
  declined: [],
  error: [],
};

export const canMoveAttempt = (from: AttemptStatus, to: AttemptStatus) => NEXT[from].includes(to);

export const isInFlight = (status: AttemptStatus) => IN_FLIGHT.includes(status);

export const isFailedAttempt = (status: AttemptStatus) => FAILED_ATTEMPT.includes(status);

/**
 * What the order becomes when an attempt ends without payment: payable again (`reopened`), or
 * `ended`, FAILED with the attempt's reason, once its failed attempts, this one included, reach
 * `attemptLimit`. The store applies it in the outcome's statement (store/attempt-outcome.ts) with
 * the count on the order's row as it updates it.
 */
export const failedAttemptMove = (reason: string) => ({ reopened: OrderState.Created, ended: failedOrder(reason) });

/**
 * How many failed attempts end an order: the configured limit, but one for a merchant-initiated
 * charge, which has no customer to try another card.
 */
export const attemptLimit = (merchantInitiated: boolean, maxAttempts: number) => (merchantInitiated ? 1 : maxAttempts);
