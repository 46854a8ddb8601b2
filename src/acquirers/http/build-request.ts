import type { AuthorizeRequest, PayoutRequest, RefundRequest, StoredAuthorizeRequest, StoredCardReference } from '../acquirer.ts';
import {
  PATHS,
  type AuthorizeBody,
  type CompleteChallengeBody,
  type DeleteStoredCardBody,
  type PayoutBody,
  type RefundBody,
  type StoredAuthorizeBody,
} from './wire.ts';

/** One HTTP call to the acquirer, before it is sent. */
export interface WireCall {
  method: 'GET' | 'POST';
  path: string;
  body?: AuthorizeBody | CompleteChallengeBody | RefundBody | PayoutBody | StoredAuthorizeBody | DeleteStoredCardBody;
}

/** One of the two places the `http` connector reveals a card number (with `buildPayout`): into the request body. */
export function buildAuthorize(request: AuthorizeRequest): WireCall {
  const { card } = request;
  return {
    method: 'POST',
    path: PATHS.authorize,
    body: {
      idempotencyKey: request.idempotencyKey,
      amount: request.amount,
      currency: request.currency,
      card: {
        number: card.number.reveal(),
        cvc: card.cvc.reveal(),
        expiryMonth: card.expiry.month,
        expiryYear: card.expiry.year,
        holder: card.holder,
      },
      ...(request.threeDS ? { threeDS: { ...request.threeDS } } : {}),
      ...(request.saveFor ? { saveFor: { customerReference: request.saveFor.customerReference } } : {}),
    },
  };
}

/** A sale with a card the acquirer saved: its token, never a card number, with who starts it and why. */
export const buildAuthorizeStored = (request: StoredAuthorizeRequest): WireCall => ({
  method: 'POST',
  path: PATHS.authorizeStored,
  body: {
    idempotencyKey: request.idempotencyKey,
    amount: request.amount,
    currency: request.currency,
    storedCard: { token: request.storedCard.token, customerReference: request.storedCard.customerReference },
    initiator: request.initiator,
    ...(request.reason ? { reason: request.reason } : {}),
  },
});

export const buildDeleteStoredCard = (card: StoredCardReference): WireCall => ({
  method: 'POST',
  path: PATHS.deleteStoredCard,
  body: { token: card.token, customerReference: card.customerReference },
});

export const buildCompleteChallenge = (challengeId: string, code: string): WireCall => ({
  method: 'POST',
  path: PATHS.completeChallenge(challengeId),
  body: { code },
});

export const buildQueryAuthorization = (idempotencyKey: string): WireCall => ({
  method: 'GET',
  path: PATHS.queryAuthorization(idempotencyKey),
});

export const buildRefund = (request: RefundRequest): WireCall => ({
  method: 'POST',
  path: PATHS.refund,
  body: { idempotencyKey: request.idempotencyKey, reference: request.reference, amount: request.amount },
});

export const buildQueryRefund = (idempotencyKey: string): WireCall => ({
  method: 'GET',
  path: PATHS.queryRefund(idempotencyKey),
});

/** The other place the `http` connector reveals a card number: the payout's request body. */
export const buildPayout = (request: PayoutRequest): WireCall => ({
  method: 'POST',
  path: PATHS.payout,
  body: {
    idempotencyKey: request.idempotencyKey,
    amount: request.amount,
    currency: request.currency,
    card: { number: request.cardNumber.reveal() },
    holder: request.holder,
  },
});

export const buildQueryPayout = (idempotencyKey: string): WireCall => ({
  method: 'GET',
  path: PATHS.queryPayout(idempotencyKey),
});
