import type { GatewayContext } from '../context.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import { isSavedCardExpired, type ChargeReason } from '../domain/saved-card.ts';
import type { AuthorizationResult, BrowserInfo, StoredCardInitiator } from '../acquirers/acquirer.ts';
import type { AttemptOutcome } from '../store/attempt-outcome.ts';
import { findOrderByToken, type OrderRow } from '../store/orders.ts';
import { findSavedCard, type SavedCardRow } from '../store/saved-cards.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { settleAttempt } from './settle-attempt.ts';
import { describePayment, describeSettled, type PaymentResult } from './describe-payment.ts';
import { beginAttempt } from './pay-with-card.ts';
import { processorReturnUrl } from './processor-return.ts';
import { customerReference } from './customer-reference.ts';

export interface SavedCardPayment {
  /** The payment token of the order to pay. */
  token: string;
  order: Pick<OrderRow, 'amount_cents' | 'currency'>;
  card: SavedCardRow;
  /** `customer`: one step on the cashier page; `merchant`: `POST /v1/charge`. */
  initiator: StoredCardInitiator;
  reason?: ChargeReason | undefined;
  clientIp: string | null;
  browser?: BrowserInfo | undefined;
  locale?: string | undefined;
}

/**
 * Pays an order with a saved card, as payWithCard does with a typed one: record the attempt (it
 * claims the card's card-testing slot by the saved card's keyed fingerprint), call the acquirer
 * that saved the card outside any transaction, record its answer. A saved card past its expiry is
 * declined `EXPIRED_CARD` without calling the acquirer. No failover: only the acquirer that
 * saved a card can charge it.
 */
export async function payWithSavedCard(context: GatewayContext, payment: SavedCardPayment): Promise<PaymentResult> {
  const { card, order } = payment;
  const start = await beginAttempt(context, payment.token, {
    brand: card.card_brand,
    bin: card.card_bin,
    last4: card.card_last4,
    fingerprint: card.card_fingerprint,
    clientIp: payment.clientIp,
    acquirerFor: async () => card.acquirer,
    locale: payment.locale,
    cardToken: card.card_token,
    merchantInitiated: payment.initiator === 'merchant',
  });
  if (!start.started) return start.answer;
  const answer = await authorizeSaved(context, payment, start.attempt.id, order);
  if ('outcome' in answer && answer.outcome === 'unknown') context.log.warn({ attempt: start.attempt.id, acquirer: card.acquirer, detail: answer.detail }, 'acquirer answer unknown; reconciling');
  return describeSettled(context, await settleAttempt(context, start.attempt.id, AttemptStatus.Processing, outcomeOf(answer)));
}

/**
 * The customer chose one of their saved cards on the cashier page: it must be theirs (the order's
 * merchant and customer) and not deleted; otherwise the page just shows where the payment stands.
 */
export async function payWithChosenCard(
  context: GatewayContext,
  choice: { token: string; cardToken: string; clientIp: string | null; browser?: BrowserInfo | undefined; locale?: string | undefined },
): Promise<PaymentResult> {
  const order = await findOrderByToken(context.db, choice.token);
  const card = order?.customer_id ? await findSavedCard(context.db, order.merchant_no, choice.cardToken) : undefined;
  if (!order || !card || card.customer_id !== order.customer_id) return describePayment(context, order);
  return payWithSavedCard(context, { ...choice, order, card, initiator: 'customer' });
}

const outcomeOf = (answer: AuthorizationResult | AttemptOutcome): AttemptOutcome => ('status' in answer ? answer : attemptOutcomeOf(answer));

async function authorizeSaved(context: GatewayContext, payment: SavedCardPayment, attemptId: string, order: SavedCardPayment['order']): Promise<AuthorizationResult | AttemptOutcome> {
  const { card } = payment;
  if (isSavedCardExpired(card, context.now())) return { status: AttemptStatus.Declined, reason: 'EXPIRED_CARD' };
  const acquirer = context.acquirers.has(card.acquirer) ? context.acquirers.get(card.acquirer) : undefined;
  if (!acquirer?.authorizeStored) {
    context.log.error({ attempt: attemptId, acquirer: card.acquirer }, 'the acquirer that saved this card is not configured or does not charge saved cards');
    return { status: AttemptStatus.Error, reason: 'INVALID_REQUEST' };
  }
  return acquirer.authorizeStored({
    idempotencyKey: attemptId,
    amount: order.amount_cents,
    currency: order.currency,
    storedCard: { token: context.masterKey.open(card.acquirer_token_sealed), customerReference: customerReference(card.merchant_no, card.customer_id) },
    initiator: payment.initiator,
    reason: payment.reason,
    returnUrl: processorReturnUrl(context.config.publicUrl, payment.token),
    browser: payment.browser,
    shopperIp: payment.clientIp,
  });
}
