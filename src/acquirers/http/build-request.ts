import type { AuthorizeRequest, PayoutRequest, RefundRequest } from '../acquirer.ts';
import { PATHS, type AuthorizeBody, type CompleteChallengeBody, type PayoutBody, type RefundBody } from './wire.ts';

/** One HTTP call to the acquirer, before it is sent. */
export interface WireCall {
  method: 'GET' | 'POST';
  path: string;
  body?: AuthorizeBody | CompleteChallengeBody | RefundBody | PayoutBody;
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
    },
  };
}

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
