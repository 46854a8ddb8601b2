import type Stripe from 'stripe';
import { unknown, type AuthorizationResult, type DeclineReason, type RefundQueryResult } from '../acquirer.ts';
import { ATTEMPT_METADATA_KEY } from './build-request.ts';

/**
 * From Stripe objects to our outcomes (README.md has the table, with the documentation each row
 * follows). Only `succeeded` is approved; only a documented card refusal is declined; every other
 * status, shape or surprise is `unknown`.
 */

/** The card error's `code` first, then its `decline_code`: expired card and bad CVC carry only `code`. */
export function declineReasonOf(code: string | undefined, declineCode: string | undefined): DeclineReason | undefined {
  const byCode: Record<string, DeclineReason> = {
    expired_card: 'EXPIRED_CARD',
    incorrect_cvc: 'INCORRECT_CVC',
    payment_intent_authentication_failure: 'AUTHENTICATION_FAILED',
  };
  if (code && byCode[code]) return byCode[code];
  if (code !== 'card_declined') return undefined;
  const byDeclineCode: Record<string, DeclineReason> = {
    insufficient_funds: 'INSUFFICIENT_FUNDS',
    expired_card: 'EXPIRED_CARD',
    incorrect_cvc: 'INCORRECT_CVC',
    authentication_required: 'AUTHENTICATION_FAILED',
  };
  return (declineCode && byDeclineCode[declineCode]) || 'DO_NOT_HONOR';
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
      return { outcome: 'approved', reference: intent.id };
    case 'requires_action': {
      const url = intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url?.url : undefined;
      if (!url) return unknown(`Stripe asks for an action we cannot take (${intent.next_action?.type ?? 'none'})`);
      return { outcome: 'challenge', challengeId: intent.id, redirect: { url, method: 'GET', fields: {} } };
    }
    case 'requires_payment_method': {
      const failure = intent.last_payment_error;
      if (!failure) return unknown('Stripe has no payment method on this intent and no error to say why');
      const error = cardErrorOf(failure.code);
      if (error) return error;
      const reason = declineReasonOf(failure.code, failure.decline_code);
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
