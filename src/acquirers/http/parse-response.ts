import { Value } from '@sinclair/typebox/value';
import { AuthorizationAnswer, PayoutAnswer, RefundAnswer } from './wire.ts';

/** What came back over HTTP: the status and the body, read as JSON when it is JSON. */
export interface WireResponse {
  status: number;
  /** `undefined` when the body was empty or not JSON. */
  body: unknown;
}

/** JSON text to a value; `undefined` for anything that is not JSON, never a throw. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The body as an authorisation answer, or `undefined` when it is not one. */
export const readAuthorizationAnswer = (body: unknown): AuthorizationAnswer | undefined =>
  Value.Check(AuthorizationAnswer, body) ? body : undefined;

/** The body as a refund answer, or `undefined` when it is not one. */
export const readRefundAnswer = (body: unknown): RefundAnswer | undefined =>
  Value.Check(RefundAnswer, body) ? body : undefined;

/** The body as a payout answer, or `undefined` when it is not one. */
export const readPayoutAnswer = (body: unknown): PayoutAnswer | undefined => (Value.Check(PayoutAnswer, body) ? body : undefined);
