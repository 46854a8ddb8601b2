import {
  ACQUIRER_ERROR_REASONS,
  DECLINE_REASONS,
  PAYOUT_FAILURE_REASONS,
  REFUND_FAILURE_REASONS,
  unknown,
  type AcquirerErrorReason,
  type AuthorizationQueryResult,
  type AuthorizationResult,
  type DeclineReason,
  type PayoutFailureReason,
  type PayoutQueryResult,
  type PayoutResult,
  type RefundFailureReason,
  type RefundQueryResult,
  type RefundResult,
  type Unknown,
} from '../acquirer.ts';
import { authorizationOf, classifyStatus, payoutOf, refundOf } from '../classify-call.ts';
import { readAuthorizationAnswer, readDeleteStoredCardAnswer, readPayoutAnswer, readRefundAnswer, type WireResponse } from './parse-response.ts';

/**
 * From an HTTP answer to our outcome. The rule: only an answer we fully understand is a
 * definite outcome; every other status, shape or surprise is `unknown`, to be reconciled with
 * a query. Never success by default.
 */

const oneOf = <T extends string>(allowed: readonly T[], value: string): value is T => (allowed as readonly string[]).includes(value);

// An unfamiliar reason does not make a clear outcome unclear: a decline is a decline, an error
// an error. They fall back to the generic reason, and the merchant sees that.
const declineReason = (reason: string): DeclineReason => (oneOf(DECLINE_REASONS, reason) ? reason : 'DO_NOT_HONOR');
const errorReason = (reason: string): AcquirerErrorReason => (oneOf(ACQUIRER_ERROR_REASONS, reason) ? reason : 'PROCESSING_ERROR');
const refundFailure = (reason: string): RefundFailureReason => (oneOf(REFUND_FAILURE_REASONS, reason) ? reason : 'PROCESSING_ERROR');

const payoutFailure = (reason: string): PayoutFailureReason => (oneOf(PAYOUT_FAILURE_REASONS, reason) ? reason : 'PROCESSING_ERROR');

/** Any status but 200: the shared reading (classify-call.ts). */
const verdictOf = (response: WireResponse) => classifyStatus(response.status, 'acquirer');
const unexpectedStatus = (response: WireResponse) => unknown(verdictOf(response).detail);
const unreadable = (response: WireResponse) => unknown(`acquirer answered HTTP ${response.status} with a body we do not understand`);

function authorizationAnswer(response: WireResponse): AuthorizationQueryResult {
  const answer = readAuthorizationAnswer(response.body);
  if (!answer) return unreadable(response);
  switch (answer.outcome) {
    case 'approved':
      return { outcome: 'approved', reference: answer.reference, ...(answer.storedCard ? { storedCard: { ...answer.storedCard } } : {}) };
    case 'declined':
      return { outcome: 'declined', reason: declineReason(answer.reason) };
    case 'challenge':
      return { outcome: 'challenge', challengeId: answer.challengeId };
    case 'error':
      return { outcome: 'error', reason: errorReason(answer.reason), retryable: answer.retryable };
    case 'not_found':
      return { outcome: 'not_found' };
  }
}

/** For `authorize` and `completeChallenge`: the acquirer says 4xx only when it did nothing. */
export function mapAuthorization(response: WireResponse): AuthorizationResult {
  if (response.status !== 200) return authorizationOf(verdictOf(response));
  // not_found answers a query, never a sale: an acquirer that says it here is not making sense.
  const result = authorizationAnswer(response);
  return result.outcome === 'not_found' ? unreadable(response) : result;
}

/**
 * For `queryAuthorization`: only a 200 says anything about the authorisation. A failed query
 * must not read as a failed sale, so every other status is `unknown`.
 */
export const mapAuthorizationQuery = (response: WireResponse): AuthorizationQueryResult =>
  response.status === 200 ? authorizationAnswer(response) : unexpectedStatus(response);

function refundAnswer(response: WireResponse): RefundQueryResult {
  const answer = readRefundAnswer(response.body);
  if (!answer) return unreadable(response);
  switch (answer.outcome) {
    case 'succeeded':
      return { outcome: 'succeeded', reference: answer.reference };
    case 'failed':
      return { outcome: 'failed', reason: refundFailure(answer.reason) };
    case 'not_found':
      return { outcome: 'not_found' };
  }
}

export function mapRefund(response: WireResponse): RefundResult {
  if (response.status !== 200) return refundOf(verdictOf(response));
  const result = refundAnswer(response);
  return result.outcome === 'not_found' ? unreadable(response) : result;
}

export const mapRefundQuery = (response: WireResponse): RefundQueryResult =>
  response.status === 200 ? refundAnswer(response) : unexpectedStatus(response);

function payoutAnswer(response: WireResponse): PayoutQueryResult {
  const answer = readPayoutAnswer(response.body);
  if (!answer) return unreadable(response);
  switch (answer.outcome) {
    case 'paid':
      return { outcome: 'paid', reference: answer.reference };
    case 'failed':
      return { outcome: 'failed', reason: payoutFailure(answer.reason) };
    case 'not_found':
      return { outcome: 'not_found' };
  }
}

/** For `payout`: as for sales, a 4xx means the acquirer did nothing; anything unclear is `unknown`. */
export function mapPayout(response: WireResponse): PayoutResult {
  if (response.status !== 200) return payoutOf(verdictOf(response));
  const result = payoutAnswer(response);
  return result.outcome === 'not_found' ? unreadable(response) : result;
}

export const mapPayoutQuery = (response: WireResponse): PayoutQueryResult =>
  response.status === 200 ? payoutAnswer(response) : unexpectedStatus(response);

/** For `deleteStoredCard`: only a 200 saying `deleted` is; anything else is `unknown` (the gateway logs it). */
export const mapDeleteStoredCard = (response: WireResponse): { outcome: 'deleted' } | Unknown =>
  response.status !== 200 ? unexpectedStatus(response) : readDeleteStoredCardAnswer(response.body) ? { outcome: 'deleted' } : unreadable(response);
