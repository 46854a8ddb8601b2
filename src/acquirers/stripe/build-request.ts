import type Stripe from 'stripe';
import type { AuthorizeRequest, RefundRequest, StoredAuthorizeRequest } from '../acquirer.ts';
import type { StripeSavedCard } from './stored-card-token.ts';

/**
 * Stripe calls before they are sent: parameters plus request options. Pure: no SDK, no I/O.
 * Our attempt id travels in `metadata` (so search and webhooks find it) and as the
 * `Idempotency-Key` (so the SDK does not add its own, and a retry never charges twice).
 */
export const ATTEMPT_METADATA_KEY = 'payrail_attempt';
export const REFUND_METADATA_KEY = 'payrail_refund';
/** Our customer (merchant and customer id) on the Stripe Customer a saved card is attached to. */
export const CUSTOMER_METADATA_KEY = 'payrail_customer';
/** On a merchant-initiated sale of a saved card: `merchant`, so every reading of the intent knows no customer is there. */
export const INITIATOR_METADATA_KEY = 'payrail_initiator';
/** The PaymentMethod in full (its card's expiry) wherever an intent may carry a card just saved. */
export const EXPAND_PAYMENT_METHOD = ['payment_method'];

export interface StripeCall<P> {
  params: P;
  options: { idempotencyKey: string };
}

/** What every sale sends: amount, currency, confirmed and captured at once, our attempt in metadata. */
function saleParams(request: { idempotencyKey: string; amount: number; currency: string; returnUrl?: string | undefined }) {
  return {
    amount: request.amount,
    currency: request.currency.toLowerCase(),
    confirm: true,
    capture_method: 'automatic',
    metadata: { [ATTEMPT_METADATA_KEY]: request.idempotencyKey },
    ...(request.returnUrl ? { return_url: request.returnUrl } : {}),
  } satisfies Stripe.PaymentIntentCreateParams;
}

/**
 * The one place the Stripe connector reveals the card number and CVC: into the request. With a
 * `customer` (the sale saves the card): `setup_future_usage=off_session`, so that Stripe attaches
 * the PaymentMethod to that Customer once the sale succeeds, and the PaymentMethod in the answer.
 */
export function buildPaymentIntent(request: AuthorizeRequest, customer?: string): StripeCall<Stripe.PaymentIntentCreateParams> {
  const { card } = request;
  return {
    params: {
      ...saleParams(request),
      payment_method_data: {
        type: 'card',
        card: { number: card.number.reveal(), cvc: card.cvc.reveal(), exp_month: card.expiry.month, exp_year: card.expiry.year },
        billing_details: { name: card.holder },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
      ...(customer ? { customer, setup_future_usage: 'off_session', expand: EXPAND_PAYMENT_METHOD } : {}),
    },
    options: { idempotencyKey: request.idempotencyKey },
  };
}

/**
 * The Customer a sale that saves the card attaches it to: one per such sale, our customer in its
 * metadata, under a key of its own derived from the attempt's (Stripe keys are per account, not
 * per endpoint), so a retried sale finds the same Customer and sends the same PaymentIntent.
 */
export function buildCustomer(request: Pick<AuthorizeRequest, 'idempotencyKey'>, customerReference: string): StripeCall<Stripe.CustomerCreateParams> {
  return {
    params: { metadata: { [CUSTOMER_METADATA_KEY]: customerReference } },
    options: { idempotencyKey: `${request.idempotencyKey}-customer` },
  };
}

/**
 * A sale of a saved card: its Customer and PaymentMethod, confirmed at once. Started by the
 * merchant: `off_session=true` (Stripe's stored-credential indicator: the customer is not there,
 * so Stripe fails rather than asks for 3-D Secure) and no return URL, which Stripe does not want
 * off-session (README.md, "Payment methods"). Started by the customer on
 * the cashier page: on-session, with the return URL of a 3-D Secure redirect.
 */
export function buildStoredPaymentIntent(request: StoredAuthorizeRequest, card: StripeSavedCard): StripeCall<Stripe.PaymentIntentCreateParams> {
  const merchant = request.initiator === 'merchant';
  const sale = saleParams({ ...request, returnUrl: merchant ? undefined : request.returnUrl });
  return {
    params: {
      ...sale,
      customer: card.customer,
      payment_method: card.paymentMethod,
      ...(merchant ? { off_session: true, metadata: { ...sale.metadata, [INITIATOR_METADATA_KEY]: 'merchant' } } : {}),
    },
    options: { idempotencyKey: request.idempotencyKey },
  };
}

/** Stripe's search query language; ids are ours (letters, digits, `_`), so no escaping is needed. */
export function buildAttemptSearch(idempotencyKey: string): Stripe.PaymentIntentSearchParams {
  if (!/^[A-Za-z0-9_-]+$/.test(idempotencyKey)) throw new TypeError('attempt ids are letters, digits, _ and -');
  return { query: `metadata['${ATTEMPT_METADATA_KEY}']:'${idempotencyKey}'`, limit: 1, expand: EXPAND_PAYMENT_METHOD.map((field) => `data.${field}`) };
}

export function buildRefund(request: RefundRequest): StripeCall<Stripe.RefundCreateParams> {
  return {
    params: { payment_intent: request.reference, amount: request.amount, metadata: { [REFUND_METADATA_KEY]: request.idempotencyKey } },
    options: { idempotencyKey: request.idempotencyKey },
  };
}
