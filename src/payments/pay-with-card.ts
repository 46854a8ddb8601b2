import type { GatewayContext } from '../context.ts';
import type { Card } from '../domain/card.ts';
import { cardFingerprint } from '../domain/card-fingerprint.ts';
import { cents } from '../domain/money.ts';
import { startAttempt } from '../store/attempts.ts';
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
  const start = await startAttempt(
    context.db,
    payment.token,
    { brand: payment.card.brand, bin: payment.card.bin, last4: payment.card.last4, fingerprint, clientIp: payment.clientIp },
    recheckAfter('processing', context.now(), context.config.acquirerTimeoutMs),
    { cardPerDay: context.config.cardDeclinesPerDay, ipPerHour: context.config.ipDeclinesPerHour },
  );
  if (!start.started && start.capped) {
    context.log.warn(start.capped, 'card-testing cap reached; payment refused');
    return { kind: 'rate_limited' };
  }
  if (!start.started) return describePaymentByToken(context, payment.token);

  const answer = await context.acquirer.authorize({
    idempotencyKey: start.attempt.id,
    amount: cents(start.order.amount_cents),
    currency: start.order.currency,
    card: payment.card,
  });
  if (answer.outcome === 'unknown') context.log.warn({ attempt: start.attempt.id, detail: answer.detail }, 'acquirer answer unknown; reconciling');
  return settleAttempt(context, start.attempt.id, 'processing', attemptOutcomeOf(answer));
}
