import type Stripe from 'stripe';
import type { AuthorizeRequest, RefundRequest } from '../acquirer.ts';

/**
 * Stripe calls before they are sent: parameters plus request options. Pure: no SDK, no I/O.
 * Our attempt id travels in `metadata` (so search and webhooks find it) and as the
 * `Idempotency-Key` (so the SDK does not add its own, and a retry never charges twice).
 */
export const ATTEMPT_METADATA_KEY = 'payrail_attempt';
export const REFUND_METADATA_KEY = 'payrail_refund';

export interface StripeCall<P> {
  params: P;
  options: { idempotencyKey: string };
}

/** The one place the Stripe connector reveals the card number and CVC: into the request. */
export function buildPaymentIntent(request: AuthorizeRequest): StripeCall<Stripe.PaymentIntentCreateParams> {
  const { card } = request;
  return {
    params: {
      amount: request.amount,
      currency: request.currency.toLowerCase(),
      confirm: true,
      capture_method: 'automatic',
      payment_method_data: {
        type: 'card',
        card: { number: card.number.reveal(), cvc: card.cvc.reveal(), exp_month: card.expiry.month, exp_year: card.expiry.year },
        billing_details: { name: card.holder },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
      metadata: { [ATTEMPT_METADATA_KEY]: request.idempotencyKey },
      ...(request.returnUrl ? { return_url: request.returnUrl } : {}),
    },
    options: { idempotencyKey: request.idempotencyKey },
  };
}

/** Stripe's search query language; ids are ours (letters, digits, `_`), so no escaping is needed. */
export function buildAttemptSearch(idempotencyKey: string): Stripe.PaymentIntentSearchParams {
  if (!/^[A-Za-z0-9_-]+$/.test(idempotencyKey)) throw new TypeError('attempt ids are letters, digits, _ and -');
  return { query: `metadata['${ATTEMPT_METADATA_KEY}']:'${idempotencyKey}'`, limit: 1 };
}

export function buildRefund(request: RefundRequest): StripeCall<Stripe.RefundCreateParams> {
  return {
    params: { payment_intent: request.reference, amount: request.amount, metadata: { [REFUND_METADATA_KEY]: request.idempotencyKey } },
    options: { idempotencyKey: request.idempotencyKey },
  };
}
