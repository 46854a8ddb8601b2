import type { Cents } from '../../domain/money.ts';
import type { AcquirerError, Approved, Challenge, Declined, DeclineReason, PayoutResult, RefundResult } from '../acquirer.ts';

/**
 * Where the simulator keeps what it decided, so that a key always gets its first answer and a
 * charge happens at most once per key. Two implementations: in memory (memory-store.ts, for
 * `payrail acquirer-sim` and unit tests) and in the gateway's database
 * (src/store/simulator-records.ts), so that several gateway nodes share one simulated acquirer.
 * Every method is async and every "check then write" is a single method that an implementation
 * runs atomically (one transaction, or no await in between).
 */
export interface SimulatorStore {
  /**
   * If `idempotencyKey` has a record, answers it untouched (`created: false`). Otherwise calls
   * `decide` (pure, synchronous) and keeps its record; when that record is approved, appends one
   * charge to the ledger in the same atomic step.
   */
  authorizeOnce(idempotencyKey: string, decide: () => AuthorizationRecord): Promise<Kept<AuthorizationRecord>>;

  findAuthorization(idempotencyKey: string): Promise<AuthorizationRecord | undefined>;

  /** The authorisation that asked for this challenge, whether or not it was completed since. */
  findByChallenge(challengeId: string): Promise<AuthorizationRecord | undefined>;

  /**
   * Compare-and-set: moves the record of `idempotencyKey` from its pending challenge
   * `challengeId` to `result`, appending a charge when `result` is approved. When the record
   * is no longer waiting for that challenge (someone completed it first), changes nothing.
   * Either way answers the record as it now stands.
   */
  settleChallenge(idempotencyKey: string, challengeId: string, result: Approved | Declined): Promise<AuthorizationRecord>;

  /**
   * If `idempotencyKey` has a refund record, answers it untouched. Otherwise calls `decide` with
   * the approved charge that has reference `reference` (if any) and the sum of refunds that
   * succeeded against it, and keeps the record `decide` answers. Atomic, so that two refunds
   * racing each other cannot together give back more than was charged.
   */
  refundOnce(
    idempotencyKey: string,
    reference: string,
    decide: (charge: ChargeRecord | undefined, refunded: Cents) => RefundRecord,
  ): Promise<Kept<RefundRecord>>;

  findRefund(idempotencyKey: string): Promise<RefundRecord | undefined>;

  /**
   * If `idempotencyKey` has a payout record, answers it untouched. Otherwise keeps the record
   * `decide` answers (a paid one is money sent to a card). Atomic, so a key pays at most once.
   */
  payoutOnce(idempotencyKey: string, decide: () => PayoutRecord): Promise<Kept<PayoutRecord>>;

  findPayout(idempotencyKey: string): Promise<PayoutRecord | undefined>;

  /** How many times money was actually sent to a card under this key: 0 or 1, or there is a bug. */
  payoutCount(idempotencyKey: string): Promise<number>;

  /** How many times money was actually taken under this key. Anything but 0 or 1 is a double charge. */
  chargeCount(idempotencyKey: string): Promise<number>;

  /** The whole charge ledger, oldest first: for tests and the chaos benchmark. */
  charges(): Promise<readonly ChargeRecord[]>;

  /** Keeps a saved card's token (idempotent: the same token again changes nothing). */
  keepToken(record: TokenRecord): Promise<void>;

  findToken(token: string): Promise<TokenRecord | undefined>;

  /** Marks a token deleted; answers false when there was no such token. */
  deleteToken(token: string): Promise<boolean>;
}

/** A card the simulator saved: what it needs to charge it again. Never the card number. */
export interface TokenRecord {
  token: string;
  customerReference: string;
  last4: string;
  expiryMonth: number;
  expiryYear: number;
  /** What a merchant-initiated charge answers (test-cards.ts, MERCHANT_INITIATED_CARDS). */
  merchantInitiated: 'approve' | DeclineReason;
  deleted: boolean;
}

/** Asked to save the card with an authorisation: kept on the record, so that finishing its challenge saves it too. */
export interface SaveRequest {
  customerReference: string;
  expiryMonth: number;
  expiryYear: number;
  merchantInitiated: 'approve' | DeclineReason;
}

export interface Kept<T> {
  record: T;
  /** True when this call made the record, false when it answers an earlier one. */
  created: boolean;
}

/** What the simulated acquirer decided for one key. Never `unknown`: the acquirer always knows. */
export interface AuthorizationRecord {
  idempotencyKey: string;
  /** What the key was first used for, to refuse its reuse for something else. */
  amount: Cents;
  currency: string;
  last4: string;
  result: Approved | Declined | Challenge | AcquirerError;
  /** Save the card once approved (`saveFor`); absent when not asked. */
  save?: SaveRequest;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** One time money was taken from a card. */
export interface ChargeRecord {
  idempotencyKey: string;
  /** The acquirer's id for the sale, as answered in `approved`. */
  reference: string;
  amount: Cents;
  currency: string;
  chargedAt: number;
}

/** What the simulated acquirer did with one payout key. Holds the card's last four, never its number. */
export interface PayoutRecord {
  idempotencyKey: string;
  amount: Cents;
  currency: string;
  last4: string;
  result: Exclude<PayoutResult, { outcome: 'unknown' }>;
  createdAt: number;
}

export interface RefundRecord {
  idempotencyKey: string;
  reference: string;
  amount: Cents;
  result: Exclude<RefundResult, { outcome: 'unknown' }>;
  createdAt: number;
}
