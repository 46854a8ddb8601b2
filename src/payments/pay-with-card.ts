import type { GatewayContext } from '../context.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import type { Card } from '../domain/card.ts';
import type { Acquirer, AuthorizationResult, BrowserInfo } from '../acquirers/acquirer.ts';
import { cardFingerprint } from '../domain/card-fingerprint.ts';
import { failOverAttempt, startAttempt, type AttemptRow, type NewAttempt } from '../store/attempts.ts';
import type { OrderRow } from '../store/orders.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { settleAttempt } from './settle-attempt.ts';
import { describePaymentByToken, describeSettled, type PaymentResult } from './describe-payment.ts';
import { recheckAfter } from './timing.ts';
import { processorReturnUrl } from './processor-return.ts';
import { customerReference } from './customer-reference.ts';

export interface CardPayment {
  token: string;
  card: Card;
  clientIp: string | null;
  /** What the customer's browser told the cashier, for 3-D Secure 2 at a processor. */
  browser?: BrowserInfo | undefined;
  /** The cashier language the customer pays in; the receipt is written in it. */
  locale?: string | undefined;
  /** The customer ticked "save this card" (an order with `saveCard` optional). */
  saveCardTicked?: boolean | undefined;
}

/**
 * The customer pays with a card: record the attempt (the order moves to PROCESSING, so no
 * second attempt can start), call the acquirer outside any transaction, then record its answer.
 * If anything stops us between the call and the record, the reconciler settles the attempt by
 * asking the acquirer with the same idempotency key: a card is never charged twice.
 *
 * The merchant's ordered acquirer list decides where the card goes. An acquirer that answers
 * `error` with `retryable` (it said no money moved) hands the same submission to the next one,
 * as a new attempt; `unknown` never does, since that money may have moved.
 */
export async function payWithCard(context: GatewayContext, payment: CardPayment): Promise<PaymentResult> {
  const fingerprint = cardFingerprint(context.masterKey.fingerprintKey, payment.card.number);
  const timeoutMs = context.config.acquirerTimeoutMs;
  // The merchant's connectors in order (or the default), found once the start has the order.
  let route: Acquirer[] = [];
  const acquirerFor = async (order: OrderRow, trx: Transaction<Database>) => {
    route = context.acquirers.route((await context.merchants.get(order.merchant_no, Date.now(), trx))?.acquirers);
    return route[0]!.name;
  };
  const start = await beginAttempt(context, payment.token, {
    brand: payment.card.brand, bin: payment.card.bin, last4: payment.card.last4, fingerprint, clientIp: payment.clientIp, acquirerFor, locale: payment.locale,
    saveCardTicked: payment.saveCardTicked ?? false,
  });
  if (!start.started) return start.answer;

  let attempt: AttemptRow = start.attempt;
  for (let index = 0; ; index++) {
    const acquirer = route[index]!;
    const answer = await authorizeAt(context, acquirer, attempt, start.order, payment);
    const next = route[index + 1];
    if (answer.outcome === 'error' && answer.retryable && next) {
      context.log.warn({ attempt: attempt.id, acquirer: acquirer.name, reason: answer.reason, next: next.name }, 'acquirer could not process the card; failing over');
      const followUp = await failOverAttempt(context.db, attempt.id, answer.reason, { acquirer: next.name, checkAfter: recheckAfter(AttemptStatus.Processing, context.now(), timeoutMs), now: context.now() });
      if (!followUp) return describePaymentByToken(context, payment.token);
      attempt = followUp;
      continue;
    }
    if (answer.outcome === 'unknown') context.log.warn({ attempt: attempt.id, acquirer: acquirer.name, detail: answer.detail }, 'acquirer answer unknown; reconciling');
    return describeSettled(context, await settleAttempt(context, attempt.id, AttemptStatus.Processing, attemptOutcomeOf(answer)));
  }
}

/**
 * Records a card's attempt on the order behind `token` (the order moves to PROCESSING and the
 * card-testing slots are claimed, or nothing is written), for a typed card and a saved one alike.
 * When no attempt starts, `answer` is what the customer sees: refused by a card-testing cap, or
 * where the payment already stands.
 */
export async function beginAttempt(
  context: GatewayContext,
  token: string,
  card: NewAttempt,
): Promise<{ started: true; order: OrderRow; attempt: AttemptRow } | { started: false; answer: PaymentResult }> {
  const start = await startAttempt(
    context.db,
    token,
    card,
    recheckAfter(AttemptStatus.Processing, context.now(), context.config.acquirerTimeoutMs),
    context.now(),
    { cardPerDay: context.config.cardDeclinesPerDay, ipPerHour: context.config.ipDeclinesPerHour },
  );
  if (start.started) return start;
  if (start.capped) {
    context.log.warn(start.capped, 'card-testing cap reached; payment refused');
    return { started: false, answer: { kind: 'rate_limited' } };
  }
  return { started: false, answer: await describePaymentByToken(context, token) };
}

function authorizeAt(context: GatewayContext, acquirer: Acquirer, attempt: AttemptRow, order: OrderRow, payment: CardPayment): Promise<AuthorizationResult> {
  return acquirer.authorize({
    idempotencyKey: attempt.id,
    amount: order.amount_cents,
    currency: order.currency,
    card: payment.card,
    returnUrl: processorReturnUrl(context.config.publicUrl, payment.token),
    browser: payment.browser,
    shopperIp: payment.clientIp,
    saveFor: attempt.save_card && order.customer_id ? { customerReference: customerReference(order.merchant_no, order.customer_id) } : undefined,
  });
}
