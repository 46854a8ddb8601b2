import { unknown, type AuthorizationResult, type RefundResult, type Unknown } from '../acquirer.ts';
import { authorizationOf, classifyStatus } from '../classify-call.ts';
import { cardErrorOf, declineReasonOf, mapPaymentIntent } from './map-status.ts';
import type Stripe from 'stripe';

/** What the SDK throws, as far as we read it. */
interface ThrownStripeError {
  type?: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  payment_intent?: Stripe.PaymentIntent;
}

const asStripeError = (error: unknown): ThrownStripeError => (typeof error === 'object' && error !== null ? (error as ThrownStripeError) : {});

/**
 * A thrown call (Stripe's error answers are thrown by the SDK) to an outcome. 402 card errors
 * are refusals; 400 and 401/403 mean Stripe did nothing; 429 is a retry later; a connection
 * error, a timeout and any 5xx are `unknown` (Stripe documents server errors as indeterminate).
 * `offSession`: the sale was merchant-initiated, read when the card error carries no intent.
 */
export function mapAuthorizationError(thrown: unknown, offSession = false): AuthorizationResult {
  const error = asStripeError(thrown);
  switch (error.type) {
    case 'StripeCardError': {
      if (error.payment_intent?.status) return mapPaymentIntent(error.payment_intent);
      const processing = cardErrorOf(error.code);
      if (processing) return processing;
      const reason = declineReasonOf(error.code, error.decline_code, offSession);
      return reason ? { outcome: 'declined', reason } : unknown(`Stripe card error ${error.code ?? 'without a code'}`);
    }
    case 'StripeIdempotencyError':
      return { outcome: 'error', reason: 'IDEMPOTENCY_KEY_REUSED', retryable: false };
    case 'StripeInvalidRequestError':
      // 409 conflict on the same key: another request with it is running; its outcome is ours.
      if (error.statusCode === 409) return unknown('Stripe is still working on a request with this key');
      return authorizationOf(classifyStatus(STATUS_OF.StripeInvalidRequestError, 'Stripe'));
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
    case 'StripeRateLimitError':
      return authorizationOf(classifyStatus(STATUS_OF[error.type], 'Stripe'));
    default:
      return describeUnknown(error);
  }
}

/**
 * The SDK throws typed errors; each stands for the HTTP status Stripe documents for it
 * (https://docs.stripe.com/api/errors), read with the shared classification (classify-call.ts).
 */
const STATUS_OF = {
  StripeInvalidRequestError: 400,
  StripeAuthenticationError: 401,
  StripePermissionError: 403,
  StripeRateLimitError: 429,
} as const;

export function mapRefundError(thrown: unknown): RefundResult {
  const error = asStripeError(thrown);
  if (error.type === 'StripeIdempotencyError') return { outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' };
  if (error.type === 'StripeInvalidRequestError' && error.statusCode !== 409) {
    if (error.code === 'charge_already_refunded' || error.code === 'amount_too_large') return { outcome: 'failed', reason: 'AMOUNT_EXCEEDS_REFUNDABLE' };
    if (error.code === 'resource_missing') return { outcome: 'failed', reason: 'CHARGE_NOT_FOUND' };
    return { outcome: 'failed', reason: 'INVALID_REQUEST' };
  }
  return describeUnknown(error);
}

/**
 * A detach Stripe refused (400, 404): the PaymentMethod is deleted when it is gone or attached to
 * no Customer, as the PaymentMethod itself says (`retrieve`); anything else, and any other
 * failure, is `unknown`.
 */
export async function isDetached(thrown: unknown, retrieve: () => Promise<Pick<Stripe.PaymentMethod, 'customer'>>): Promise<{ outcome: 'deleted' } | Unknown> {
  const error = asStripeError(thrown);
  if (error.type !== 'StripeInvalidRequestError' || error.statusCode === 409) return describeUnknown(error);
  if (error.code === 'resource_missing') return { outcome: 'deleted' };
  try {
    return (await retrieve()).customer === null ? { outcome: 'deleted' } : unknown('Stripe refused to detach a PaymentMethod still attached');
  } catch (again) {
    const missing = asStripeError(again).code === 'resource_missing';
    return missing ? { outcome: 'deleted' } : describeUnknown(asStripeError(again));
  }
}

/** Any failed query is `unknown`: it says nothing about the sale or the refund. */
export const mapQueryError = (thrown: unknown): Unknown => describeUnknown(asStripeError(thrown));

function describeUnknown(error: ThrownStripeError): Unknown {
  if (error.type === 'StripeConnectionError') return unknown('no answer from Stripe (connection failed or timed out)');
  if (error.statusCode) return unknown(`Stripe answered HTTP ${error.statusCode}`);
  return unknown(`call to Stripe failed${error.type ? ` (${error.type})` : ''}`);
}
