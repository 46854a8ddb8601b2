import type { Card } from '../domain/card.ts';
import type { DisputeReason } from '../domain/dispute.ts';
import type { Cents } from '../domain/money.ts';
import type { Secret } from '../domain/secret.ts';

/**
 * The one interface every acquirer connector implements (one folder per connector beside
 * this file). The gateway records an attempt, calls one of these methods outside any
 * transaction, then records the outcome: record, then call out, then settle.
 *
 * Rules every connector keeps:
 * - Idempotency: every money-moving call carries our own idempotency key. Calling again with
 *   the same key answers the first call's result (as it stands now, e.g. after its 3-D Secure
 *   step) and never moves money twice. The same key with a different amount, currency or card
 *   is refused with `error: IDEMPOTENCY_KEY_REUSED`.
 * - `unknown` is never success. Timeouts, dropped responses, 5xx and answers the connector does
 *   not understand are `unknown`: the money may or may not have moved, and only
 *   `queryAuthorization` / `queryRefund` with the same key can tell.
 * - Methods do not throw for acquirer trouble; every outcome is a value of the unions below.
 *   A throw means a bug in the caller (e.g. closed connector).
 */
export interface Acquirer {
  /** The connector's name, as configured: 'simulator', 'http'. */
  readonly name: string;

  /**
   * Whether this connector pays out to cards (`payout`). A payout goes to the first connector in
   * the merchant's list that does; when none does, it is refused before any money is held.
   */
  readonly paysOut: boolean;

  /** A sale (authorise and capture in one step). */
  authorize(request: AuthorizeRequest): Promise<AuthorizationResult>;

  /**
   * Finishes a 3-D Secure challenge that `authorize` answered with `challenge`. The simulator
   * lets code `123456` pass; anything else is `declined: AUTHENTICATION_FAILED`. Completing the
   * same challenge again answers the first completion's result. For a processor's redirect
   * challenge, `code` is what the processor sent back with the browser (Adyen's
   * `redirectResult`; Stripe's `payment_intent`, which needs nothing more).
   */
  completeChallenge(challengeId: string, code: string): Promise<AuthorizationResult>;

  /** What became of the authorisation sent with this key; used to reconcile an `unknown`. */
  queryAuthorization(idempotencyKey: string): Promise<AuthorizationQueryResult>;

  /** Gives back part or all of an approved sale. Same idempotency rules as `authorize`. */
  refund(request: RefundRequest): Promise<RefundResult>;

  /**
   * What became of the refund sent with this key; used to reconcile an `unknown`. `saleReference`
   * is the approved sale's `reference`, for processors that list refunds per sale (Stripe).
   */
  queryRefund(idempotencyKey: string, saleReference?: string): Promise<RefundQueryResult>;

  /**
   * For processors with no query by our key (Adyen): cancels whatever the authorisation sent
   * with this key did, so that an attempt left unknown past a bound cannot keep money taken.
   * `cancelled` means the processor accepted the cancel; anything else is `unknown`.
   */
  cancelByReference?(idempotencyKey: string): Promise<{ outcome: 'cancelled' } | Unknown>;

  /**
   * Pushes money to a card (a payout: docs/api.md, Payouts). Same idempotency and `unknown` rules
   * as `authorize`: the same key never pays twice, and answers the first call's result.
   */
  payout(request: PayoutRequest): Promise<PayoutResult>;

  /** What became of the payout sent with this key; used to reconcile an `unknown`. */
  queryPayout(idempotencyKey: string): Promise<PayoutQueryResult>;

  /**
   * Cards on file (docs/api.md, "Cards on file"): a sale with a card the acquirer saved earlier
   * (`Approved.storedCard`), started by the customer (one-step payment on the cashier page) or by
   * the merchant (`POST /v1/charge`), with the stored-credential indicators the acquirer wants.
   * Same idempotency and `unknown` rules as `authorize`. An issuer that wants the customer present
   * answers `declined: AUTHENTICATION_REQUIRED`. Absent on connectors that do not save cards.
   */
  authorizeStored?(request: StoredAuthorizeRequest): Promise<AuthorizationResult>;

  /** Detaches a saved card at the acquirer, so that its token charges nothing any more. */
  deleteStoredCard?(card: StoredCardReference): Promise<{ outcome: 'deleted' } | Unknown>;

  /** Releases connections and timers. The connector must not be used afterwards. */
  close(): Promise<void>;
}

/** A card the acquirer saved: its reusable token and the customer it was saved under. */
export interface StoredCardReference {
  /** The acquirer's token (Stripe: `cus_…/pm_…`, its Customer and PaymentMethod; Adyen: a storedPaymentMethodId). */
  token: string;
  /** Our merchant's customer, as the acquirer knows it (Stripe Customer, Adyen shopperReference). */
  customerReference: string;
}

/** Who starts a stored-card sale: the customer on the cashier page, or the merchant without them. */
export type StoredCardInitiator = 'customer' | 'merchant';

export interface StoredAuthorizeRequest {
  idempotencyKey: string;
  amount: Cents;
  currency: string;
  storedCard: StoredCardReference;
  initiator: StoredCardInitiator;
  /** For a merchant-initiated sale: `RECURRING`, `UNSCHEDULED` or `INSTALMENT`. */
  reason?: 'RECURRING' | 'UNSCHEDULED' | 'INSTALMENT' | undefined;
  returnUrl?: string;
  browser?: BrowserInfo | undefined;
  shopperIp?: string | null;
}

/** What an acquirer gives back for a card it saved with an approved sale. */
export interface StoredCardGrant {
  token: string;
  /** The card's expiry, as the acquirer keeps it. */
  expiryMonth: number;
  expiryYear: number;
}

/** The parts of a validated card (src/domain/card.ts) an acquirer needs. A `Card` fits as is. */
export type AcquirerCard = Pick<Card, 'number' | 'cvc' | 'expiry' | 'holder'>;

/**
 * The result of a 3-D Secure authentication done before `authorize` (e.g. by a separate
 * 3-D Secure server). When present, a card that would ask for a challenge does not.
 */
export interface ThreeDSResult {
  /** `authenticated`: the cardholder passed. `failed`: they did not, so the sale is declined. */
  status: 'authenticated' | 'failed';
  /** The authentication's own id, for the acquirer's records. */
  authenticationId: string;
}

export interface AuthorizeRequest {
  /** Ours, unique per attempt: a fresh attempt (another card, a retry after `error`) gets a fresh key. */
  idempotencyKey: string;
  /** More than zero. */
  amount: Cents;
  /** ISO 4217, upper case; the gateway only sends 'USD' today. */
  currency: string;
  card: AcquirerCard;
  threeDS?: ThreeDSResult;
  /** Where a processor's 3-D Secure page sends the browser back (the cashier's return URL). */
  returnUrl?: string;
  /** What 3-D Secure 2 wants to know about the customer's browser, as the cashier saw it. */
  browser?: BrowserInfo;
  /** The customer's address, for 3-D Secure 2 and the processor's risk checks. */
  shopperIp?: string | null;
  /**
   * Save the card for later sales under this customer (the customer agreed, or the order
   * requires it): the approval then carries `storedCard`. Connectors that do not save cards ignore it.
   */
  saveFor?: { customerReference: string } | undefined;
}

/** The customer's browser as 3-D Secure 2 describes it (EMVCo browser fields). */
export interface BrowserInfo {
  userAgent: string;
  acceptHeader: string;
  language: string;
  colorDepth: number;
  screenHeight: number;
  screenWidth: number;
  timeZoneOffset: number;
  javaEnabled: boolean;
}

/** Why an issuer or acquirer refused a card. The merchant sees it; the customer does not. */
export const DECLINE_REASONS = [
  'DO_NOT_HONOR',
  'INSUFFICIENT_FUNDS',
  'EXPIRED_CARD',
  'INCORRECT_CVC',
  'AUTHENTICATION_FAILED',
  /** A stored-card sale the issuer wants the customer present for (3-D Secure): bring them back. */
  'AUTHENTICATION_REQUIRED',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Why an acquirer refused to process a request at all. In every case no money moved. */
export const ACQUIRER_ERROR_REASONS = [
  /** The acquirer failed internally and said so; a fresh attempt may work (retryable). */
  'PROCESSING_ERROR',
  /** The acquirer could not accept the request as sent: a bug or a misconfiguration. */
  'INVALID_REQUEST',
  /** The card is one the acquirer cannot process (brand, Luhn): the page should have stopped it. */
  'INVALID_CARD',
  /** The key was used before for a different amount, currency or card. */
  'IDEMPOTENCY_KEY_REUSED',
  /** `completeChallenge` for a challenge the acquirer does not know. */
  'CHALLENGE_NOT_FOUND',
  /** The acquirer is shedding load; try again later (retryable). */
  'RATE_LIMITED',
  /** The acquirer refused our credentials. */
  'UNAUTHORIZED',
] as const;
export type AcquirerErrorReason = (typeof ACQUIRER_ERROR_REASONS)[number];

/** The sale went through: money moved. `reference` is the acquirer's id for it, used to refund. */
export interface Approved {
  outcome: 'approved';
  reference: string;
  /** The simulator's dispute cards only: a dispute of this reason opens a few seconds later (docs/api.md, "Test cards"). */
  disputeAfter?: DisputeReason;
  /** The card saved with this sale, when `saveFor` asked for it. */
  storedCard?: StoredCardGrant;
}

/** The issuer refused the card: no money moved. The order stays payable with another card. */
export interface Declined {
  outcome: 'declined';
  reason: DeclineReason;
}

/** 3-D Secure is needed: show the challenge, then call `completeChallenge`. No money moved yet. */
export interface Challenge {
  outcome: 'challenge';
  challengeId: string;
  /** For a processor's own 3-D Secure page: where to send the customer's browser, and how. */
  redirect?: RedirectForm;
}

/** A browser redirect as a form: GET with the fields in the query, or an auto-submitted POST. */
export interface RedirectForm {
  url: string;
  method: 'GET' | 'POST';
  fields: Record<string, string>;
}

/**
 * We do not know what happened: timeout, dropped response, 5xx, an answer we cannot read.
 * Money may have moved. Never treat as success or failure: query with the same key.
 */
export interface Unknown {
  outcome: 'unknown';
  /** For logs and operators; never shown to customers. Holds no card data. */
  detail: string;
}

/** The acquirer refused to process the request: no money moved. */
export interface AcquirerError {
  outcome: 'error';
  reason: AcquirerErrorReason;
  /** True when a fresh attempt (with a fresh key) may succeed. */
  retryable: boolean;
}

export type AuthorizationResult = Approved | Declined | Challenge | Unknown | AcquirerError;

/** The acquirer has no record of that key: the request never reached it, so no money moved. */
export interface NotFound {
  outcome: 'not_found';
}

export type AuthorizationQueryResult = AuthorizationResult | NotFound;

export interface RefundRequest {
  /** Ours, unique per refund. */
  idempotencyKey: string;
  /** The `reference` of the approved sale. */
  reference: string;
  /** More than zero, at most what is left of the sale after earlier refunds. */
  amount: Cents;
  /** ISO 4217, upper case, as the sale; processors that want it with the amount (Adyen) use it. */
  currency?: string;
}

/** Why a refund was refused. No money moved. */
export const REFUND_FAILURE_REASONS = [
  /** No approved sale has this reference. */
  'CHARGE_NOT_FOUND',
  /** The amount is more than what is left of the sale after earlier refunds. */
  'AMOUNT_EXCEEDS_REFUNDABLE',
  /** The key was used before for a different refund. */
  'IDEMPOTENCY_KEY_REUSED',
  /** The acquirer could not accept the request as sent. */
  'INVALID_REQUEST',
  /** The acquirer failed and said so. */
  'PROCESSING_ERROR',
] as const;
export type RefundFailureReason = (typeof REFUND_FAILURE_REASONS)[number];

export type RefundResult =
  /** The money is on its way back; `reference` is the acquirer's id for the refund. */
  | { outcome: 'succeeded'; reference: string }
  /** Refused: no money moved. */
  | { outcome: 'failed'; reason: RefundFailureReason }
  /** As for authorisations: may or may not have happened; query with the same key. */
  | Unknown;

export type RefundQueryResult = RefundResult | NotFound;

export interface PayoutRequest {
  /** Ours, unique per payout. */
  idempotencyKey: string;
  /** More than zero: what the card receives. */
  amount: Cents;
  currency: string;
  /** The card to pay, digits only. */
  cardNumber: Secret<string>;
  /** The name of the person paid. */
  holder: string;
}

/** Why a payout was refused. No money moved. */
export const PAYOUT_FAILURE_REASONS = [
  /** The card's issuer refused to take the money. */
  'DO_NOT_HONOR',
  /** The card is not one the acquirer can pay to. */
  'INVALID_CARD',
  /** The key was used before for a different payout. */
  'IDEMPOTENCY_KEY_REUSED',
  /** The acquirer could not accept the request as sent. */
  'INVALID_REQUEST',
  /** The acquirer failed and said so. */
  'PROCESSING_ERROR',
  /** This connector's processor has no payouts (push to card) through Payrail. */
  'NOT_SUPPORTED',
] as const;
export type PayoutFailureReason = (typeof PAYOUT_FAILURE_REASONS)[number];

export type PayoutResult =
  /** The money is on its way to the card; `reference` is the acquirer's id for the payout. */
  | { outcome: 'paid'; reference: string }
  /** Refused: no money moved. */
  | { outcome: 'failed'; reason: PayoutFailureReason }
  /** May or may not have happened; query with the same key. */
  | Unknown;

export type PayoutQueryResult = PayoutResult | NotFound;

export const unknown = (detail: string): Unknown => ({ outcome: 'unknown', detail });

/** What a connector whose processor has no push-to-card payouts through Payrail answers: refused, no money moved. */
export const payoutsNotSupported = {
  paysOut: false,
  payout: async (): Promise<PayoutResult> => ({ outcome: 'failed', reason: 'NOT_SUPPORTED' }),
  queryPayout: async (): Promise<PayoutQueryResult> => ({ outcome: 'failed', reason: 'NOT_SUPPORTED' }),
};
