import type { GatewayContext } from '../context.ts';
import { OrderState, OrderStatus, isInState } from '../domain/order-status.ts';
import { findAttemptInFlight, type AttemptRow } from '../store/attempts.ts';
import type { RecordResult } from '../store/attempt-outcome.ts';
import { findOrderByToken, type OrderRow } from '../store/orders.ts';
import { AttemptStatus, isFailedAttempt, isInFlight } from '../domain/attempt-status.ts';
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

/** Declines and errors left before the order fails: counted on the order itself (orders.failed_attempts). */
const attemptsLeft = (context: GatewayContext, order: OrderRow) => Math.max(0, context.config.maxAttempts - order.failed_attempts);

/** What the cashier shows after the customer's own attempt was settled: built from what was just recorded. */
export async function describeSettled(context: GatewayContext, settled: RecordResult): Promise<PaymentResult> {
  const { order, attempt } = settled;
  if (isFailedAttempt(attempt.status) && isInState(order, OrderState.Created)) {
    return { kind: 'retry', order, reason: attempt.status === AttemptStatus.Error ? 'error' : 'declined', attemptsLeft: attemptsLeft(context, order) };
  }
  // The attempt as recorded is the order's attempt in flight, if it still is one: no need to read it again.
  return describePayment(context, order, isInFlight(attempt.status) ? attempt : undefined);
}

/**
 * Where the payment of an order stands; reads only the attempt in flight, and only while one is
 * (unless the caller just read it).
 */
export async function describePayment(context: GatewayContext, order: OrderRow | undefined, attemptInFlight?: AttemptRow): Promise<PaymentResult> {
  if (!order) return { kind: 'unknown_token' };
  if (order.status === OrderStatus.Paid) return { kind: 'paid', order };
  const expired = order.status_desc === OrderState.Created.desc && order.expires_at <= context.now();
  if (order.status !== OrderStatus.Open || expired) return { kind: 'ended', order };
  if (isInState(order, OrderState.Processing)) {
    const attempt = attemptInFlight ?? (await findAttemptInFlight(context.db, order.plat_form_trade_no));
    if (attempt?.status === AttemptStatus.Challenge && attempt.challenge_id) {
      const redirect = (attempt.challenge_redirect as RedirectForm | null) ?? undefined;
      return { kind: 'challenge', order, challengeId: attempt.challenge_id, redirect, acquirer: attempt.acquirer };
    }
    return { kind: 'pending', order };
  }
  return { kind: 'retry', order, reason: 'declined', attemptsLeft: attemptsLeft(context, order) };
}

export const describePaymentByToken = async (context: GatewayContext, token: string) =>
  describePayment(context, await findOrderByToken(context.db, token));
