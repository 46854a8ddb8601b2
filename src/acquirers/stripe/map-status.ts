import type Stripe from 'stripe';
import { unknown, type AuthorizationResult, type DeclineReason, type RefundQueryResult, type StoredCardGrant } from '../acquirer.ts';
import { ATTEMPT_METADATA_KEY, INITIATOR_METADATA_KEY } from './build-request.ts';
import { storedCardToken } from './stored-card-token.ts';

/**
 * From Stripe objects to our outcomes (README.md has the table, with the documentation each row
 * follows). Only `succeeded` is approved; only a documented card refusal is declined; every other
 * status, shape or surprise is `unknown`.
 */

/**
 * The card error's `code` first, then its `decline_code`: expired card and bad CVC carry only
 * `code`. `authentication_required` (the code of an off-session sale the issuer wants
 * authenticated; the decline code too) means: bring the customer back, when the sale was
 * merchant-initiated (`offSession`); a customer on the page who was asked for it failed it.
 */
export function declineReasonOf(code: string | undefined, declineCode: string | undefined, offSession: boolean): DeclineReason | undefined {
  const authenticationRequired: DeclineReason = offSession ? 'AUTHENTICATION_REQUIRED' : 'AUTHENTICATION_FAILED';
  const byCode: Record<string, DeclineReason> = {
    expired_card: 'EXPIRED_CARD',
    incorrect_cvc: 'INCORRECT_CVC',
    payment_intent_authentication_failure: 'AUTHENTICATION_FAILED',
    authentication_required: authenticationRequired,
  };
  if (code && byCode[code]) return byCode[code];
  if (code !== 'card_declined') return undefined;
  const byDeclineCode: Record<string, DeclineReason> = {
    insufficient_funds: 'INSUFFICIENT_FUNDS',
    expired_card: 'EXPIRED_CARD',
    incorrect_cvc: 'INCORRECT_CVC',
    authentication_required: authenticationRequired,
  };
  return (declineCode && byDeclineCode[declineCode]) || 'DO_NOT_HONOR';
}

/** Whether we sent the intent as a merchant-initiated sale of a saved card (`off_session=true`). */
export const isOffSession = (intent: Pick<Stripe.PaymentIntent, 'metadata'>): boolean => intent.metadata?.[INITIATOR_METADATA_KEY] === 'merchant';

const idOf = (value: string | { id: string } | null | undefined): string | undefined => (typeof value === 'string' ? value : (value?.id ?? undefined));

/**
 * The card a succeeded sale saved: the sale asked Stripe to keep it (`setup_future_usage`) for a
 * Customer, and the intent carries its PaymentMethod in full (expanded), whose card says the
 * expiry. Undefined when the PaymentMethod is only an id (a webhook's event).
 */
export function storedCardOf(intent: Stripe.PaymentIntent): StoredCardGrant | undefined {
  const customer = idOf(intent.customer as string | { id: string } | null);
  const method = intent.payment_method;
  if (!customer || typeof method !== 'object' || !method?.card) return undefined;
  const { exp_month: expiryMonth, exp_year: expiryYear } = method.card;
  if (!Number.isInteger(expiryMonth) || !Number.isInteger(expiryYear)) return undefined;
  return { token: storedCardToken({ customer, paymentMethod: method.id }), expiryMonth, expiryYear };
}

/**
 * A succeeded sale: approved, with the card it saved when it asked to save one. A sale that saves
 * a card but whose intent does not show it (a webhook's event has the PaymentMethod's id only) is
 * no news yet: the browser's return or the reconciler's query, which read the PaymentMethod, settle
 * it with the card, so the customer's consent is never lost to the order of arrival.
 */
function approvalOf(intent: Stripe.PaymentIntent): AuthorizationResult {
  if (!intent.setup_future_usage) return { outcome: 'approved', reference: intent.id };
  const storedCard = storedCardOf(intent);
  if (!storedCard) return unknown('Stripe approved a sale that saves the card; the card is read by the query, not from this intent');
  return { outcome: 'approved', reference: intent.id, storedCard };
}

/** A card error that is not a refusal of the card but a failure to process it. */
export function cardErrorOf(code: string | undefined): AuthorizationResult | undefined {
  if (code === 'processing_error') return { outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true };
  if (code === 'incorrect_number' || code === 'invalid_number' || code === 'invalid_expiry_month' || code === 'invalid_expiry_year' || code === 'invalid_cvc') {
    return { outcome: 'error', reason: 'INVALID_CARD', retryable: false };
  }
  return undefined;
}

/** A PaymentIntent as it stands now. */
export function mapPaymentIntent(intent: Stripe.PaymentIntent): AuthorizationResult {
  switch (intent.status) {
    case 'succeeded':
      return approvalOf(intent);
    case 'requires_action': {
      // A merchant-initiated sale has no customer to authenticate: bring them back.
      if (isOffSession(intent)) return { outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' };
      const url = intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url?.url : undefined;
      if (!url) return unknown(`Stripe asks for an action we cannot take (${intent.next_action?.type ?? 'none'})`);
      return { outcome: 'challenge', challengeId: intent.id, redirect: { url, method: 'GET', fields: {} } };
    }
    case 'requires_payment_method': {
      const failure = intent.last_payment_error;
      if (!failure) return unknown('Stripe has no payment method on this intent and no error to say why');
      const error = cardErrorOf(failure.code);
      if (error) return error;
      const reason = declineReasonOf(failure.code, failure.decline_code, isOffSession(intent));
      return reason ? { outcome: 'declined', reason } : unknown(`Stripe payment error ${failure.code ?? failure.type}`);
    }
    case 'canceled':
      // Canceled before success: Stripe took no money. Not a refusal of the card, so an error.
      return { outcome: 'error', reason: 'PROCESSING_ERROR', retryable: false };
    default:
      return unknown(`Stripe PaymentIntent status ${intent.status}`);
  }
}

/** The attempt a PaymentIntent belongs to, when it is ours. */
export const attemptIdOf = (intent: Pick<Stripe.PaymentIntent, 'metadata'>): string | undefined => intent.metadata?.[ATTEMPT_METADATA_KEY];

/** A Refund as it stands now: `succeeded` is done; `failed` and `canceled` gave nothing back. */
export function mapRefund(refund: Stripe.Refund): RefundQueryResult {
  switch (refund.status) {
    case 'succeeded':
      return { outcome: 'succeeded', reference: refund.id };
    case 'failed':
    case 'canceled':
      return { outcome: 'failed', reason: 'PROCESSING_ERROR' };
    default:
      // pending, requires_action: the money is not back yet.
      return unknown(`Stripe refund status ${refund.status ?? 'missing'}`);
  }
}
