import { Type, type Static } from '@sinclair/typebox';

/**
 * TypeBox schemas of the `http` acquirer protocol (the `http` connector sends, acquirer-sim
 * answers). What each call does, its answers and statuses: README.md beside this file.
 */

export const PATHS = {
  authorize: '/v1/authorizations',
  completeChallenge: (challengeId: string) => `/v1/challenges/${encodeURIComponent(challengeId)}/complete`,
  queryAuthorization: (idempotencyKey: string) => `/v1/authorizations/${encodeURIComponent(idempotencyKey)}`,
  refund: '/v1/refunds',
  queryRefund: (idempotencyKey: string) => `/v1/refunds/${encodeURIComponent(idempotencyKey)}`,
  payout: '/v1/payouts',
  queryPayout: (idempotencyKey: string) => `/v1/payouts/${encodeURIComponent(idempotencyKey)}`,
  authorizeStored: '/v1/stored-authorizations',
  deleteStoredCard: '/v1/stored-cards/delete',
} as const;

const IdempotencyKey = Type.String({ minLength: 1, maxLength: 255 });
/** The gateway's name for a merchant's customer, as the acquirer keeps it with a saved card. */
const CustomerReference = Type.String({ minLength: 1, maxLength: 255 });
const StoredCardToken = Type.String({ minLength: 1, maxLength: 255 });

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
  /** Keep the card for later sales under this customer: the approval carries `storedCard`. */
  saveFor: Type.Optional(Type.Object({ customerReference: CustomerReference })),
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

export const PayoutBody = Type.Object({
  idempotencyKey: IdempotencyKey,
  amount: Type.Integer({ minimum: 1 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  card: Type.Object({ number: Type.String({ pattern: '^[0-9]{12,19}$' }) }),
  holder: Type.String({ minLength: 1, maxLength: 64 }),
});
export type PayoutBody = Static<typeof PayoutBody>;

export const StoredAuthorizeBody = Type.Object({
  idempotencyKey: IdempotencyKey,
  amount: Type.Integer({ minimum: 1 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  storedCard: Type.Object({ token: StoredCardToken, customerReference: CustomerReference }),
  /** `customer`: paying, present, in one step; `merchant`: charged without the customer. */
  initiator: Type.Union([Type.Literal('customer'), Type.Literal('merchant')]),
  /** The stored-credential reason of a merchant-initiated sale; the service refuses a merchant sale without it. */
  reason: Type.Optional(Type.Union([Type.Literal('RECURRING'), Type.Literal('UNSCHEDULED'), Type.Literal('INSTALMENT')])),
});
export type StoredAuthorizeBody = Static<typeof StoredAuthorizeBody>;

export const DeleteStoredCardBody = Type.Object({ token: StoredCardToken, customerReference: CustomerReference });
export type DeleteStoredCardBody = Static<typeof DeleteStoredCardBody>;

export const DeleteStoredCardAnswer = Type.Object({ outcome: Type.Literal('deleted') });
export type DeleteStoredCardAnswer = Static<typeof DeleteStoredCardAnswer>;

const NotFoundAnswer = Type.Object({ outcome: Type.Literal('not_found') });

// Reasons are open strings on the wire: an acquirer may add one before we learn it, and
// map-status.ts decides what an unfamiliar one means.
export const AuthorizationAnswer = Type.Union([
  Type.Object({
    outcome: Type.Literal('approved'),
    reference: Type.String({ minLength: 1 }),
    storedCard: Type.Optional(
      Type.Object({
        token: StoredCardToken,
        expiryMonth: Type.Integer({ minimum: 1, maximum: 12 }),
        expiryYear: Type.Integer({ minimum: 2000, maximum: 2999 }),
      }),
    ),
  }),
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

export const PayoutAnswer = Type.Union([
  Type.Object({ outcome: Type.Literal('paid'), reference: Type.String({ minLength: 1 }) }),
  Type.Object({ outcome: Type.Literal('failed'), reason: Type.String() }),
  NotFoundAnswer,
]);
export type PayoutAnswer = Static<typeof PayoutAnswer>;
