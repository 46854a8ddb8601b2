import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import { holdsNul, minorUnits, storableText, unreadableEvent, type ProcessorEvent, type RefusedWebhook } from '../processor-event.ts';
import { ATTEMPT_METADATA_KEY, REFUND_METADATA_KEY } from './build-request.ts';
import { mapPaymentIntent, mapRefund } from './map-status.ts';
import { isStripeDisputeEvent, readStripeDispute } from './read-dispute.ts';
import { isJsonObject } from '../json.ts';

/** Stripe's signature tolerance, both ways: a timestamp further than this from our clock is refused. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

// Stripe's SDK is loaded by the first webhook, not at start (docs/performance.md, "Start-up"); synchronously, as reading a webhook is.
let signatureHelper: typeof Stripe.webhooks.signature | undefined;
const signature = () => (signatureHelper ??= (createRequire(import.meta.url)('stripe') as typeof Stripe).webhooks.signature);

/** The `t=` of a `Stripe-Signature` header, in seconds. */
function timestampOf(header: string): number | undefined {
  const t = header.split(',').find((part) => part.trim().startsWith('t='));
  const seconds = t === undefined ? NaN : Number(t.trim().slice(2));
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}


/**
 * Verifies `Stripe-Signature` (HMAC-SHA256 of `t.body`, with the SDK) over the raw body, with the
 * timestamp within the tolerance of `nowMs` in the past and in the future, then reads what the
 * event says about our attempts and refunds (https://docs.stripe.com/webhooks#verify-events,
 * https://docs.stripe.com/api/events/types). Never throws: a body that does not verify is
 * refused; a signed body we cannot read is an unreadable event.
 */
export function readStripeWebhook(rawBody: Buffer, header: string | undefined, secret: string, nowMs: number): ProcessorEvent<'stripe'> | RefusedWebhook {
  if (!header) return { refused: 'no Stripe-Signature header' };
  const timestamp = timestampOf(header);
  if (timestamp === undefined) return { refused: 'Stripe-Signature has no timestamp' };
  if (Math.abs(nowMs / 1000 - timestamp) > STRIPE_WEBHOOK_TOLERANCE_SECONDS) return { refused: 'Stripe-Signature timestamp outside the tolerance' };
  try {
    const helper = signature();
    if (!helper) throw new Error('the Stripe SDK has no signature helper');
    helper.verifyHeader(rawBody, header, secret, STRIPE_WEBHOOK_TOLERANCE_SECONDS, undefined, nowMs);
  } catch (error) {
    return { refused: `Stripe-Signature did not verify (${(error as { type?: string }).type ?? 'error'})` };
  }
  let event: unknown;
  try {
    event = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return unreadableEvent('stripe', rawBody, 'not JSON');
  }
  return readEvent(event, rawBody, nowMs);
}

/** A verified event's JSON. */
function readEvent(event: unknown, rawBody: Buffer, nowMs: number): ProcessorEvent<'stripe'> {
  if (!isJsonObject(event)) return unreadableEvent('stripe', rawBody, 'not an event object');
  if (holdsNul(event)) return unreadableEvent('stripe', rawBody, 'a NUL character in the event');
  const id = storableText(event.id);
  const type = storableText(event.type);
  if (!id || !type) return unreadableEvent('stripe', rawBody, 'an event without a readable id or type');
  const base = { acquirer: 'stripe' as const, id, type };
  const object = isJsonObject(event.data) && isJsonObject(event.data.object) ? event.data.object : undefined;
  const metadata = object && isJsonObject(object.metadata) ? object.metadata : {};
  if (object?.object === 'payment_intent' && metadata[ATTEMPT_METADATA_KEY] !== undefined) {
    const attemptId = storableText(metadata[ATTEMPT_METADATA_KEY]);
    const payment = storableText(object.id);
    if (!attemptId || !payment) return { ...base, unreadable: 'a PaymentIntent without a readable id or attempt' };
    const says = { payment, amount: minorUnits(object.amount), currency: storableText(object.currency) };
    const answer = mapped(() => mapPaymentIntent(object as unknown as Stripe.PaymentIntent));
    return answer ? { ...base, settles: { kind: 'attempt', attemptId, answer, says } } : { ...base, unreadable: 'a PaymentIntent of a shape we cannot read' };
  }
  if (object?.object === 'refund' && metadata[REFUND_METADATA_KEY] !== undefined) {
    const refundId = storableText(metadata[REFUND_METADATA_KEY]);
    const refund = storableText(object.id);
    if (!refundId || !refund) return { ...base, unreadable: 'a Refund without a readable id or refund' };
    const intent = isJsonObject(object.payment_intent) ? object.payment_intent.id : object.payment_intent;
    const says = { refund, payment: storableText(intent), amount: minorUnits(object.amount), currency: storableText(object.currency) };
    const answer = mapped(() => mapRefund(object as unknown as Stripe.Refund));
    return answer ? { ...base, settles: { kind: 'refund', refundId, answer, says } } : { ...base, unreadable: 'a Refund of a shape we cannot read' };
  }
  if (object?.object === 'dispute' && isStripeDisputeEvent(type)) {
    const read = readStripeDispute(type, object, event.created, nowMs);
    return 'dispute' in read ? { ...base, settles: { kind: 'dispute', dispute: read.dispute } } : { ...base, unreadable: read.unreadable };
  }
  return base;
}

/** The mappers read Stripe's documented shapes; a signed object of another shape (a status that is an object) is unreadable, never a throw. */
function mapped<T>(map: () => T): T | undefined {
  try {
    return map();
  } catch {
    return undefined;
  }
}
