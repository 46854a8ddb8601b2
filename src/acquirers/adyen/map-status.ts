import { unknown, type AuthorizationResult, type DeclineReason, type RefundResult, type StoredCardInitiator, type Unknown } from '../acquirer.ts';
import { authorizationOf, classifyStatus, refundOf } from '../classify-call.ts';
import { isJsonObject } from '../json.ts';

/**
 * From Adyen answers to our outcomes (README.md has the table and the documentation each row
 * follows). Only `Authorised` is approved; only `Refused` is declined; every other `resultCode`,
 * status or shape is `unknown`.
 */

export interface AdyenResponse {
  status: number;
  body: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** `refusalReasonCode` (https://docs.adyen.com/development-resources/refusal-reasons) to our reason. */
const BY_REFUSAL_CODE: Record<string, DeclineReason> = {
  '6': 'EXPIRED_CARD',
  '11': 'AUTHENTICATION_FAILED',
  '12': 'INSUFFICIENT_FUNDS',
  '24': 'INCORRECT_CVC',
  '38': 'AUTHENTICATION_FAILED',
};

/** The same table by `refusalReason` text, which is all a webhook's `reason` carries. */
const BY_REFUSAL_TEXT: Record<string, DeclineReason> = {
  'expired card': 'EXPIRED_CARD',
  '3d not authenticated': 'AUTHENTICATION_FAILED',
  'not enough balance': 'INSUFFICIENT_FUNDS',
  'cvc declined': 'INCORRECT_CVC',
  'authentication required': 'AUTHENTICATION_FAILED',
};

/** `refusalReasonCode` 38, "Authentication required": the issuer wants the shopper present (3-D Secure). */
const AUTHENTICATION_REQUIRED_CODE = '38';

/**
 * A refusal's reason. With the shopper absent (a merchant-initiated stored sale), 38 "Authentication
 * required" is AUTHENTICATION_REQUIRED: the customer is to be sent to pay, present. With the shopper
 * on the page it is AUTHENTICATION_FAILED, as on a card sale (docs/acquirers.md).
 */
export function declineReasonOf(code: string | undefined, reason: string | undefined, shopperAbsent = false): DeclineReason {
  const found = (code && BY_REFUSAL_CODE[code]) || (reason && BY_REFUSAL_TEXT[reason.trim().toLowerCase()]) || 'DO_NOT_HONOR';
  const wantsShopper = code ? code === AUTHENTICATION_REQUIRED_CODE : reason?.trim().toLowerCase() === 'authentication required';
  return shopperAbsent && wantsShopper ? 'AUTHENTICATION_REQUIRED' : found;
}

/** A `/payments` or `/payments/details` answer with HTTP 200; `shopperAbsent` for a merchant-initiated sale. */
export function mapPaymentResult(body: unknown, shopperAbsent = false): AuthorizationResult {
  if (!isJsonObject(body)) return unknown('Adyen answered a body we do not understand');
  const resultCode = text(body.resultCode);
  switch (resultCode) {
    case 'Authorised': {
      const reference = text(body.pspReference);
      return reference ? { outcome: 'approved', reference } : unknown('Adyen authorised without a pspReference');
    }
    case 'Refused':
      return { outcome: 'declined', reason: declineReasonOf(text(body.refusalReasonCode), text(body.refusalReason), shopperAbsent) };
    case 'Error':
      // "There was an error when the payment was being processed": nothing was authorised.
      return { outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true };
    case 'Cancelled':
      return { outcome: 'error', reason: 'PROCESSING_ERROR', retryable: false };
    case 'RedirectShopper': {
      const action = isJsonObject(body.action) ? body.action : undefined;
      const url = text(action?.url);
      const method = text(action?.method)?.toUpperCase();
      const reference = text(body.merchantReference);
      if (!action || action.type !== 'redirect' || !url || (method !== 'GET' && method !== 'POST')) return unknown('Adyen asks for a redirect we cannot follow');
      const fields: Record<string, string> = {};
      if (isJsonObject(action.data)) for (const [name, value] of Object.entries(action.data)) if (typeof value === 'string') fields[name] = value;
      return { outcome: 'challenge', challengeId: reference ?? '', redirect: { url, method, fields } };
    }
    default:
      // Pending, Received, IdentifyShopper, ChallengeShopper, PresentToShopper, anything new.
      return unknown(`Adyen resultCode ${resultCode ?? 'missing'}`);
  }
}

/** Any `/payments` answer: 4xx mean Adyen did nothing; 503 says its servers are unavailable. */
export function mapPayment(response: AdyenResponse, challengeId: string, shopperAbsent = false): AuthorizationResult {
  if (response.status === 200) {
    const result = mapPaymentResult(response.body, shopperAbsent);
    return result.outcome === 'challenge' ? { ...result, challengeId: result.challengeId || challengeId } : result;
  }
  return mapHttpError(response);
}

/** Adyen's 503 says its servers are unavailable: nothing was done (classify-call.ts). */
const verdictOf = (response: AdyenResponse) => classifyStatus(response.status, 'Adyen', { unavailableDidNothing: true });

export function mapHttpError(response: AdyenResponse): AuthorizationResult {
  const errorCode = isJsonObject(response.body) ? text(response.body.errorCode) : undefined;
  // 704: a request with this Idempotency-Key is still being processed (its outcome is ours).
  if ((response.status === 400 || response.status === 422) && errorCode === '704') return unknown('Adyen is still processing a request with this key');
  return authorizationOf(verdictOf(response));
}

/** Result codes that ask for the shopper (a redirect, or 3-D Secure 2 in the page): https://docs.adyen.com/online-payments/build-your-integration/payment-result-codes. */
const SHOPPER_WANTED = new Set(['RedirectShopper', 'IdentifyShopper', 'ChallengeShopper']);

/**
 * A stored-card sale's answer: as any sale's, with the shopper absent on a merchant-initiated one.
 * There an issuer wanting the shopper present is `declined: AUTHENTICATION_REQUIRED`: refusal code 38
 * (declineReasonOf), or a redirect or 3-D Secure step, with no shopper to send it to. On a
 * customer-initiated sale, 38 is AUTHENTICATION_FAILED and a redirect stays a challenge, as on a card sale.
 */
export function mapStoredPayment(response: AdyenResponse, challengeId: string, initiator: StoredCardInitiator): AuthorizationResult {
  const shopperAbsent = initiator === 'merchant';
  const body = response.status === 200 && isJsonObject(response.body) ? response.body : undefined;
  const resultCode = text(body?.resultCode);
  if (shopperAbsent && resultCode !== undefined && SHOPPER_WANTED.has(resultCode)) return { outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' };
  return mapPayment(response, challengeId, shopperAbsent);
}

/**
 * The card Adyen stored with an approved sale, when it says so in `additionalData`:
 * `tokenization.storedPaymentMethodId` (or the older `recurring.recurringDetailReference`), with the
 * expiry of the card we sent or, when we have none at hand (after a redirect), its `expiryDate`
 * (`M/YYYY`). Without both, the sale stands and no card is saved.
 */
export function withStoredCard(result: AuthorizationResult, body: unknown, sentExpiry?: { month: number; year: number }): AuthorizationResult {
  if (result.outcome !== 'approved' || !isJsonObject(body) || !isJsonObject(body.additionalData)) return result;
  const data = body.additionalData;
  const token = text(data['tokenization.storedPaymentMethodId']) ?? text(data['recurring.recurringDetailReference']);
  const expiry = sentExpiry ?? expiryOf(text(data.expiryDate));
  return token && expiry ? { ...result, storedCard: { token, expiryMonth: expiry.month, expiryYear: expiry.year } } : result;
}

/** `additionalData.expiryDate`, e.g. `3/2030` or `03/2030`. */
function expiryOf(value: string | undefined): { month: number; year: number } | undefined {
  const match = value ? /^(\d{1,2})\/(\d{4})$/.exec(value.trim()) : null;
  if (!match) return undefined;
  const month = Number(match[1]);
  return month >= 1 && month <= 12 ? { month, year: Number(match[2]) } : undefined;
}

/** Adyen's error codes for a stored payment method it does not have (https://docs.adyen.com/development-resources/error-codes): 800 Contract not found, 803 PaymentDetail not found. */
const NOT_STORED = new Set(['800', '803']);

/**
 * A delete of a stored card: 204 (or 200) is done; a token Adyen no longer has (422 or 400 with
 * 800 or 803) is as good as deleted. A bare 404 is unknown: a wrong ADYEN_CHECKOUT_URL or API
 * version answers it too, and that must not pass for a deleted card.
 */
export function mapDeleteStored(response: AdyenResponse): { outcome: 'deleted' } | Unknown {
  const errorCode = isJsonObject(response.body) ? text(response.body.errorCode) : undefined;
  if (response.status === 204 || response.status === 200) return { outcome: 'deleted' };
  if ((response.status === 422 || response.status === 400) && errorCode && NOT_STORED.has(errorCode)) return { outcome: 'deleted' };
  return unknown(`Adyen answered the delete with HTTP ${response.status}${errorCode ? ` (errorCode ${errorCode})` : ''}`);
}

/**
 * A refund request answer. Adyen only *receives* refunds (HTTP 201, `status: received`); the
 * REFUND webhook says whether it went through, so a received refund is still `unknown`.
 */
export function mapRefund(response: AdyenResponse): RefundResult {
  if (response.status === 201 || response.status === 200) {
    const status = isJsonObject(response.body) ? text(response.body.status) : undefined;
    return unknown(status === 'received' ? 'Adyen received the refund; its REFUND webhook settles it' : `Adyen refund status ${status ?? 'missing'}`);
  }
  if (response.status === 422 || response.status === 400) {
    const errorCode = isJsonObject(response.body) ? text(response.body.errorCode) : undefined;
    if (errorCode === '704') return unknown('Adyen is still processing a refund with this key');
    if (errorCode === '167') return { outcome: 'failed', reason: 'CHARGE_NOT_FOUND' };
  }
  return refundOf(verdictOf(response));
}
