import Stripe from 'stripe';
import type { ProcessorEvent, RefusedWebhook } from '../processor-event.ts';
import { REFUND_METADATA_KEY } from './build-request.ts';
import { attemptIdOf, mapPaymentIntent, mapRefund } from './map-status.ts';

/** Stripe's signature tolerance: events signed longer ago than this are refused (replays). */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

const verifier = Stripe.webhooks;

/**
 * Verifies `Stripe-Signature` with the SDK (HMAC-SHA256 of `t.body`, 5-minute tolerance) over the
 * raw body, then reads what the event says about our attempts and refunds
 * (https://docs.stripe.com/webhooks#verify-events, https://docs.stripe.com/api/events/types).
 */
export function readStripeWebhook(rawBody: Buffer, signature: string | undefined, secret: string): ProcessorEvent | RefusedWebhook {
  if (!signature) return { refused: 'no Stripe-Signature header' };
  let event: Stripe.Event;
  try {
    event = verifier.constructEvent(rawBody, signature, secret, STRIPE_WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    return { refused: `Stripe-Signature did not verify (${(error as { type?: string }).type ?? 'error'})` };
  }
  const base = { acquirer: 'stripe' as const, id: event.id, type: event.type };
  const object = event.data?.object as { object?: string; metadata?: Record<string, string> } | undefined;
  if (object?.object === 'payment_intent') {
    const intent = object as Stripe.PaymentIntent;
    const attemptId = attemptIdOf(intent);
    return attemptId ? { ...base, settles: { kind: 'attempt', attemptId, answer: mapPaymentIntent(intent) } } : base;
  }
  if (object?.object === 'refund') {
    const refundId = object.metadata?.[REFUND_METADATA_KEY];
    return refundId ? { ...base, settles: { kind: 'refund', refundId, answer: mapRefund(object as Stripe.Refund) } } : base;
  }
  return base;
}
