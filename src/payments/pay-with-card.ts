import type { GatewayContext } from '../context.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import type { Card } from '../domain/card.ts';
import { cardFingerprint } from '../domain/card-fingerprint.ts';
import { recentDeclines, startAttempt } from '../store/attempts.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { describePaymentByToken, settleAttempt, type PaymentResult } from './settle-attempt.ts';
import { recheckAfter } from './timing.ts';

export interface CardPayment {
  token: string;
  card: Card;
  clientIp: string | null;
}

/**
 * The customer pays with a card: record the attempt (the order moves to PROCESSING, so no
 * second attempt can start), call the acquirer outside any transaction, then record its answer.
 * If anything stops us between the call and the record, the reconciler settles the attempt by
 * asking the acquirer with the same idempotency key: a card is never charged twice.
 */
export async function payWithCard(context: GatewayContext, payment: CardPayment): Promise<PaymentResult> {
  const fingerprint = cardFingerprint(context.masterKey.fingerprintKey, payment.card.number);
  const declines = await recentDeclines(context.db, fingerprint, payment.clientIp);
  if (declines.byCard >= context.config.cardDeclinesPerDay || declines.byIp >= context.config.ipDeclinesPerHour) {
    context.log.warn({ byCard: declines.byCard, byIp: declines.byIp }, 'card-testing cap reached; payment refused');
    return { kind: 'rate_limited' };
  }

  const start = await startAttempt(
    context.db,
    payment.token,
    { brand: payment.card.brand, bin: payment.card.bin, last4: payment.card.last4, fingerprint, clientIp: payment.clientIp },
    recheckAfter(AttemptStatus.Processing, context.now(), context.config.acquirerTimeoutMs),
    context.now(),
  );
  if (!start.started) return describePaymentByToken(context, payment.token);

  const answer = await context.acquirer.authorize({
    idempotencyKey: start.attempt.id,
    amount: start.order.amount_cents,
    currency: start.order.currency,
    card: payment.card,
  });
  if (answer.outcome === 'unknown') context.log.warn({ attempt: start.attempt.id, detail: answer.detail }, 'acquirer answer unknown; reconciling');
  return settleAttempt(context, start.attempt.id, AttemptStatus.Processing, attemptOutcomeOf(answer));
}
