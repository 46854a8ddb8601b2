import type { GatewayContext } from '../context.ts';
import { OrderState, OrderStatus, isFinal, isInState } from '../domain/order-status.ts';
import { countFailedAttempts, findAttemptInFlight, recordOutcome, type AttemptOutcome, type AttemptRow } from '../store/attempts.ts';
import { findOrderByToken, recordOrderEvent, type OrderRow } from '../store/orders.ts';
import { AttemptStatus, isFailedAttempt, isInFlight } from '../domain/attempt-status.ts';
import { recheckAfter } from './timing.ts';
import type { RedirectForm } from '../acquirers/acquirer.ts';

/** Where a payment stands, as the cashier page needs to know it. */
export type PaymentResult =
  /** Paid: show the receipt and send the customer back. */
  | { kind: 'paid'; order: OrderRow }
  /** The card was refused (or could not be processed); the order is payable with another card. */
  | { kind: 'retry'; order: OrderRow; reason: 'declined' | 'error'; attemptsLeft: number }
  /** The order can no longer be paid: failed, closed, expired. */
  | { kind: 'ended'; order: OrderRow }
  /** 3-D Secure: show the issuer's challenge. */
  | {
      kind: 'challenge';
      order: OrderRow;
      challengeId: string;
      redirect?: RedirectForm | undefined;
      /** The connector that asked for the challenge; null: the default one (rows from before connectors were recorded). */
      acquirer?: string | null | undefined;
    }
  /** An attempt is under way or its outcome is being confirmed with the acquirer. */
  | { kind: 'pending'; order: OrderRow }
  /** No order behind this token. */
  | { kind: 'unknown_token' }
  /** Too many declines for this card or this client: refuse for a while. */
  | { kind: 'rate_limited' };

/** Records an acquirer's answer for an attempt and says where the payment now stands. */
export async function settleAttempt(
  context: GatewayContext,
  attemptId: string,
  from: AttemptStatus,
  outcome: AttemptOutcome,
): Promise<PaymentResult> {
  const now = context.now();
  const { order, attempt, recorded, failedAttempts } = await recordOutcome(context.db, attemptId, from, outcome, {
    maxAttempts: context.config.maxAttempts,
    now,
    recheckAfter: recheckAfter(outcome.status, now, context.config.acquirerTimeoutMs),
    seal: (acquirerToken) => context.masterKey.seal(acquirerToken),
  });
  if (!recorded && outcome.status === AttemptStatus.Approved && attempt.status !== AttemptStatus.Approved) {
    // Money moved for an attempt already settled otherwise: never drop it silently.
    context.log.error({ attempt: attempt.id, order: order.plat_form_trade_no, now: attempt.status }, 'acquirer approved an attempt already settled; refund it');
    await recordOrderEvent(context.db, order.plat_form_trade_no, 'approved_after_settled', { attempt: attempt.id });
  }
  if (isFinal(order.status)) context.waker.wake();
  if (recorded) context.metrics.paymentAttempts.inc({ outcome: outcome.status });
  if (isFailedAttempt(attempt.status) && isInState(order, OrderState.Created)) {
    // Counted in the transaction that recorded this outcome; counted here only if another did.
    const failed = failedAttempts ?? (await countFailedAttempts(context.db, order.plat_form_trade_no));
    return { kind: 'retry', order, reason: attempt.status === AttemptStatus.Error ? 'error' : 'declined', attemptsLeft: Math.max(0, context.config.maxAttempts - failed) };
  }
  // The attempt as recorded is the order's attempt in flight, if it still is one: no need to read it again.
  return describePayment(context, order, { attemptInFlight: isInFlight(attempt.status) ? attempt : undefined, failedAttempts });
}

/** What the caller already read in this request, so describePayment does not read it twice. */
interface KnownFacts {
  attemptInFlight?: AttemptRow | undefined;
  failedAttempts?: number | undefined;
}

/** Where the payment of an order stands, read from the database (or from what the caller just read). */
export async function describePayment(context: GatewayContext, order: OrderRow | undefined, known: KnownFacts = {}): Promise<PaymentResult> {
  if (!order) return { kind: 'unknown_token' };
  if (order.status === OrderStatus.Paid) return { kind: 'paid', order };
  const expired = order.status_desc === OrderState.Created.desc && order.expires_at <= context.now();
  if (order.status !== OrderStatus.Open || expired) return { kind: 'ended', order };
  if (isInState(order, OrderState.Processing)) {
    const attempt = known.attemptInFlight ?? (await findAttemptInFlight(context.db, order.plat_form_trade_no));
    if (attempt?.status === AttemptStatus.Challenge && attempt.challenge_id) {
      const redirect = (attempt.challenge_redirect as RedirectForm | null) ?? undefined;
      return { kind: 'challenge', order, challengeId: attempt.challenge_id, redirect, acquirer: attempt.acquirer };
    }
    return { kind: 'pending', order };
  }
  const failed = known.failedAttempts ?? (await countFailedAttempts(context.db, order.plat_form_trade_no));
  return { kind: 'retry', order, reason: 'declined', attemptsLeft: Math.max(0, context.config.maxAttempts - failed) };
}

export const describePaymentByToken = async (context: GatewayContext, token: string) =>
  describePayment(context, await findOrderByToken(context.db, token));
