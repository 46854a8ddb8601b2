import type { DeclineReason } from '../acquirer.ts';
import type { DisputeReason } from '../../domain/dispute.ts';

/**
 * The test-card table (docs/api.md, "Test cards"): what the simulator does with each card number.
 * The Amex card and the Luhn failure of that table never get here; the page refuses them.
 */
export type CardBehaviour =
  /** Approved, unless the name on the card is DECLINED; with `dispute`, a dispute of that reason opens a few seconds later. */
  | { kind: 'approve'; dispute?: DisputeReason }
  | { kind: 'decline'; reason: DeclineReason }
  /** The acquirer fails and says so; nothing is charged and a fresh attempt may work. */
  | { kind: 'processing-error' }
  /** 3-D Secure challenge; code 123456 passes (then approved), anything else declines. */
  | { kind: 'challenge' }
  /** The charge is made, but the answer never comes in time: the gateway sees `unknown`. */
  | { kind: 'timeout' };

export const TEST_CARDS: ReadonlyMap<string, CardBehaviour> = new Map<string, CardBehaviour>([
  ['4242424242424242', { kind: 'approve' }],
  ['5555555555554444', { kind: 'approve' }],
  ['2223003122003222', { kind: 'approve' }],
  ['4000000000000002', { kind: 'decline', reason: 'DO_NOT_HONOR' }],
  ['4000000000009995', { kind: 'decline', reason: 'INSUFFICIENT_FUNDS' }],
  ['4000000000000069', { kind: 'decline', reason: 'EXPIRED_CARD' }],
  ['4000000000000127', { kind: 'decline', reason: 'INCORRECT_CVC' }],
  ['4000000000000119', { kind: 'processing-error' }],
  ['4000000000003220', { kind: 'challenge' }],
  ['5200000000002151', { kind: 'challenge' }],
  ['4000000000003063', { kind: 'timeout' }],
  ['4000000000000259', { kind: 'approve', dispute: 'FRAUDULENT' }],
  ['4000000000002685', { kind: 'approve', dispute: 'PRODUCT_NOT_RECEIVED' }],
]);

/**
 * Section 14's saved cards: what a merchant-initiated charge on a card saved from this number
 * does. Both are approved when the customer pays (and saves); any other saved card is approved
 * when the merchant charges it too.
 */
export const MERCHANT_INITIATED_CARDS: ReadonlyMap<string, DeclineReason> = new Map<string, DeclineReason>([
  ['4000000000000341', 'DO_NOT_HONOR'],
  ['4000002760003184', 'AUTHENTICATION_REQUIRED'],
]);

/** What a merchant-initiated charge on a card saved from `pan` answers: approved, or declined with this reason. */
export const merchantInitiatedBehaviourOf = (pan: string): 'approve' | DeclineReason => MERCHANT_INITIATED_CARDS.get(pan) ?? 'approve';

/** The code that passes a simulated 3-D Secure challenge. */
export const CHALLENGE_PASS_CODE = '123456';

/** The name on the card that turns an approval into DO_NOT_HONOR, so Mastercard declines can be tested. */
export const DECLINING_HOLDER = 'DECLINED';

/**
 * What the simulator does with a card. Valid Visa and Mastercard numbers outside the table are
 * approved, as a test acquirer would; the name rule applies to every card that would be approved
 * straight away (not to challenge cards, which have their own way to fail).
 */
export function behaviourOf(pan: string, holder: string): CardBehaviour {
  const behaviour = TEST_CARDS.get(pan) ?? { kind: 'approve' };
  if (behaviour.kind === 'approve' && holder.trim().toUpperCase() === DECLINING_HOLDER) {
    return { kind: 'decline', reason: 'DO_NOT_HONOR' };
  }
  return behaviour;
}

/** What the simulator does with a payout to a card (docs/api.md, Payouts). */
export type PayoutBehaviour =
  | { kind: 'pay' }
  | { kind: 'fail'; reason: 'DO_NOT_HONOR' }
  /** The payout is made, but the answer never comes in time: the gateway sees `unknown`. */
  | { kind: 'timeout' };

/**
 * Section 12's payout cards: 4242… and 5555… are paid, 4000…0002 fails, 4000…3063 times out.
 * Other valid Visa and Mastercard numbers are paid, as a test acquirer would.
 */
export const PAYOUT_CARDS: ReadonlyMap<string, PayoutBehaviour> = new Map<string, PayoutBehaviour>([
  ['4242424242424242', { kind: 'pay' }],
  ['5555555555554444', { kind: 'pay' }],
  ['4000000000000002', { kind: 'fail', reason: 'DO_NOT_HONOR' }],
  ['4000000000003063', { kind: 'timeout' }],
]);

export const payoutBehaviourOf = (pan: string): PayoutBehaviour => PAYOUT_CARDS.get(pan) ?? { kind: 'pay' };
