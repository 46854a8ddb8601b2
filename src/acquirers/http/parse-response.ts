import { Value } from '@sinclair/typebox/value';
import { AuthorizationAnswer, DeleteStoredCardAnswer, PayoutAnswer, RefundAnswer } from './wire.ts';

/** What came back over HTTP: the status and the body, read as JSON when it is JSON. */
export interface WireResponse {
  status: number;
  /** `undefined` when the body was empty or not JSON. */
  body: unknown;
}

/** The body as an authorisation answer, or `undefined` when it is not one. */
export const readAuthorizationAnswer = (body: unknown): AuthorizationAnswer | undefined =>
  Value.Check(AuthorizationAnswer, body) ? body : undefined;

/** The body as a refund answer, or `undefined` when it is not one. */
export const readRefundAnswer = (body: unknown): RefundAnswer | undefined =>
  Value.Check(RefundAnswer, body) ? body : undefined;

/** The body as a payout answer, or `undefined` when it is not one. */
export const readPayoutAnswer = (body: unknown): PayoutAnswer | undefined => (Value.Check(PayoutAnswer, body) ? body : undefined);

/** The body as the answer to deleting a saved card, or `undefined` when it is not one. */
export const readDeleteStoredCardAnswer = (body: unknown): DeleteStoredCardAnswer | undefined =>
  Value.Check(DeleteStoredCardAnswer, body) ? body : undefined;
