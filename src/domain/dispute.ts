import type { Cents } from './money.ts';
import { mismatchesOf, type Mismatch } from './event-match.ts';

/**
 * Disputes (chargebacks, docs/api.md "Disputes"): a cardholder's bank takes back a paid order's
 * money. Pure: no I/O. Mirrored by the CHECK constraints on `disputes` (migration 0038).
 *
 *   (none) ──opened / updated / funds_withdrawn──► OPEN   (hold: the amount into freezeAmount)
 *   OPEN   ──won / funds_reinstated───────────────► WON    (release: back to availableAmount)
 *   OPEN   ──lost─────────────────────────────────► LOST   (loss: the held amount goes, plus the dispute fee)
 *   (none) ──won / funds_reinstated───────────────► WON    (nothing was held, nothing moves)
 *   (none) ──lost─────────────────────────────────► LOST   (hold and loss together)
 * WON and LOST never change: a late or repeated event is recorded and moves nothing.
 */
export const DisputeStatus = {
  /** The bank has the money or may take it: the amount is held from the merchant. */
  Open: '0015',
  /** The merchant won: the held amount is back in the available balance. Final. */
  Won: '0000',
  /** The merchant lost: the amount and the dispute fee left its balance for good. Final. */
  Lost: '00029',
} as const;

export type DisputeStatus = (typeof DisputeStatus)[keyof typeof DisputeStatus];

/** The `desc` of each dispute status (the console, `payrail dispute list`). */
export const DISPUTE_STATUS_DESC: Readonly<Record<DisputeStatus, string>> = {
  [DisputeStatus.Open]: 'OPEN',
  [DisputeStatus.Won]: 'WON',
  [DisputeStatus.Lost]: 'LOST',
};

export const isDisputeFinal = (status: DisputeStatus) => status !== DisputeStatus.Open;

/** Why the cardholder disputes, in the processor-neutral words of docs/api.md; anything else is GENERAL. */
export const DISPUTE_REASONS = [
  'FRAUDULENT',
  'PRODUCT_NOT_RECEIVED',
  'PRODUCT_UNACCEPTABLE',
  'DUPLICATE',
  'SUBSCRIPTION_CANCELED',
  'CREDIT_NOT_PROCESSED',
  'UNRECOGNIZED',
  'GENERAL',
] as const;

export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export const isDisputeReason = (value: unknown): value is DisputeReason => typeof value === 'string' && (DISPUTE_REASONS as readonly string[]).includes(value);

/** What a processor's event says happened to a dispute (connectors map their own names onto these). */
export const DISPUTE_STAGES = ['opened', 'updated', 'funds_withdrawn', 'funds_reinstated', 'won', 'lost'] as const;

export type DisputeStage = (typeof DISPUTE_STAGES)[number];

/**
 * Who a dispute comes from: the connector the disputed payment went to (a name from the registry,
 * src/acquirers/index.ts): a processor, through its webhook, or the built-in simulator.
 */
export type DisputeProcessor = string;

/**
 * A processor's dispute event, read into processor-neutral terms (the connectors' webhook readers,
 * the simulator's dispute job). It moves money only once it matches the payment we made
 * (payments/apply-dispute-event.ts).
 */
export interface DisputeEvent {
  processor: DisputeProcessor;
  /** The processor's id for the dispute; with `processor`, names one dispute for good. */
  processorDisputeId: string;
  /** The processor's id for the disputed payment, as kept on the attempt (`acquirer_reference`). */
  paymentReference: string;
  /** Disputed amount in minor units: at most what was paid. */
  amount: Cents;
  /** ISO 4217, any case. */
  currency: string;
  reason: DisputeReason;
  evidenceDueBy?: Date;
  stage: DisputeStage;
  /** When the processor says it happened. */
  occurredAt: Date;
}

/** A ledger movement a dispute event calls for (domain/ledger-postings.ts builds each, store/ledger/ledger-postings.ts writes it once). */
export type DisputeMovement = 'hold' | 'release' | 'loss';

/** What an event does to a dispute: its status after, the money to move, and which notification to send. */
export interface DisputeTransition {
  status: DisputeStatus;
  /** In the order they are posted; empty when no money moves. */
  movements: DisputeMovement[];
  /** `opened` when the dispute starts OPEN, `ended` when it becomes WON or LOST; null otherwise. */
  notify: 'opened' | 'ended' | null;
}

const ENDS: Partial<Record<DisputeStage, DisputeStatus>> = {
  won: DisputeStatus.Won,
  funds_reinstated: DisputeStatus.Won,
  lost: DisputeStatus.Lost,
};

/**
 * The one rule of dispute money. `current` is the dispute's status, or null when this event is
 * the first we hear of it. An OPEN dispute always holds its amount (held when it opened), so the
 * status alone says what has moved; a final status never changes, so repeated, late and
 * out-of-order events move nothing.
 */
export function nextDisputeState(current: DisputeStatus | null, stage: DisputeStage): DisputeTransition {
  const ends = ENDS[stage];
  if (current === null) {
    if (ends === undefined) return { status: DisputeStatus.Open, movements: ['hold'], notify: 'opened' };
    if (ends === DisputeStatus.Won) return { status: ends, movements: [], notify: 'ended' };
    return { status: ends, movements: ['hold', 'loss'], notify: 'ended' };
  }
  if (current !== DisputeStatus.Open || ends === undefined) return { status: current, movements: [], notify: null };
  return { status: ends, movements: [ends === DisputeStatus.Won ? 'release' : 'loss'], notify: 'ended' };
}

/** A merchant's dispute fee unless set otherwise (`payrail merchant update --dispute-fee`): 15.00. */
export const DEFAULT_DISPUTE_FEE_CENTS = 1500;

/** What we recorded of the disputed payment: the processor's id for it, the paid amount, the currency. */
export interface DisputedPayment {
  payment: string | null;
  paidCents: number;
  currency: string;
}

/**
 * Everything about a dispute event that does not match the payment it names; empty when it is
 * about that payment: the same processor id and currency, and an amount of at most what was paid.
 */
export function disputeMismatchesOf(paid: DisputedPayment, event: Pick<DisputeEvent, 'paymentReference' | 'amount' | 'currency'>): Mismatch[] {
  const found = mismatchesOf({ payment: paid.payment, amountCents: event.amount, currency: paid.currency }, { payment: event.paymentReference, amount: event.amount, currency: event.currency });
  if (!(event.amount > 0 && event.amount <= paid.paidCents)) found.push({ field: 'amount', expected: `at most ${paid.paidCents}`, received: String(event.amount) });
  return found;
}
