import { Type, type Static } from '@sinclair/typebox';

/**
 * The HTTP protocol of the Payrail test acquirer: what the `http` connector sends and what the
 * acquirer-sim service (src/acquirer-sim/server.ts) answers. JSON both ways; amounts are integer
 * minor units (cents) on this wire, so nothing converts at the edge.
 *
 *   POST /v1/authorizations                       AuthorizeBody      → 200 AuthorizationAnswer
 *   POST /v1/challenges/:challengeId/complete     CompleteChallengeBody → 200 AuthorizationAnswer
 *   GET  /v1/authorizations/:idempotencyKey                          → 200 AuthorizationAnswer (or not_found)
 *   POST /v1/refunds                              RefundBody         → 200 RefundAnswer
 *   GET  /v1/refunds/:idempotencyKey                                 → 200 RefundAnswer (or not_found)
 *
 * The service answers 400 for a request it refuses before doing anything, 429 when it sheds
 * load before doing anything, and 5xx (or nothing) when the outcome is unknown to it.
 */

export const PATHS = {
  authorize: '/v1/authorizations',
  completeChallenge: (challengeId: string) => `/v1/challenges/${encodeURIComponent(challengeId)}/complete`,
  queryAuthorization: (idempotencyKey: string) => `/v1/authorizations/${encodeURIComponent(idempotencyKey)}`,
  refund: '/v1/refunds',
  queryRefund: (idempotencyKey: string) => `/v1/refunds/${encodeURIComponent(idempotencyKey)}`,
} as const;

const IdempotencyKey = Type.String({ minLength: 1, maxLength: 255 });

export const AuthorizeBody = Type.Object({
  idempotencyKey: IdempotencyKey,
  amount: Type.Integer({ minimum: 1 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  card: Type.Object({
    number: Type.String({ pattern: '^[0-9]{12,19}$' }),
    cvc: Type.String({ pattern: '^[0-9]{3,4}$' }),
    expiryMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expiryYear: Type.Integer({ minimum: 2000, maximum: 2999 }),
    holder: Type.String({ minLength: 1, maxLength: 64 }),
  }),
  threeDS: Type.Optional(
    Type.Object({
      status: Type.Union([Type.Literal('authenticated'), Type.Literal('failed')]),
      authenticationId: Type.String({ minLength: 1 }),
    }),
  ),
});
export type AuthorizeBody = Static<typeof AuthorizeBody>;

export const CompleteChallengeBody = Type.Object({ code: Type.String({ maxLength: 32 }) });
export type CompleteChallengeBody = Static<typeof CompleteChallengeBody>;

export const RefundBody = Type.Object({
  idempotencyKey: IdempotencyKey,
  reference: Type.String({ minLength: 1, maxLength: 255 }),
  amount: Type.Integer({ minimum: 1 }),
});
export type RefundBody = Static<typeof RefundBody>;

const NotFoundAnswer = Type.Object({ outcome: Type.Literal('not_found') });

// Reasons are open strings on the wire: an acquirer may add one before we learn it, and
// map-status.ts decides what an unfamiliar one means.
export const AuthorizationAnswer = Type.Union([
  Type.Object({ outcome: Type.Literal('approved'), reference: Type.String({ minLength: 1 }) }),
  Type.Object({ outcome: Type.Literal('declined'), reason: Type.String() }),
  Type.Object({ outcome: Type.Literal('challenge'), challengeId: Type.String({ minLength: 1 }) }),
  Type.Object({ outcome: Type.Literal('error'), reason: Type.String(), retryable: Type.Boolean() }),
  NotFoundAnswer,
]);
export type AuthorizationAnswer = Static<typeof AuthorizationAnswer>;

export const RefundAnswer = Type.Union([
  Type.Object({ outcome: Type.Literal('succeeded'), reference: Type.String({ minLength: 1 }) }),
  Type.Object({ outcome: Type.Literal('failed'), reason: Type.String() }),
  NotFoundAnswer,
]);
export type RefundAnswer = Static<typeof RefundAnswer>;
