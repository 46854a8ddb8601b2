/**
 * Which accounts each money event moves: pure builders of a ledger posting and its entries, no
 * I/O. store/ledger/ledger-postings.ts writes what these build, inside the caller's transaction.
 * Entries are debits positive, credits negative (domain/ledger-account.ts); every posting's
 * entries sum to zero.
 */
import { LedgerAccount } from './ledger-account.ts';
import { feeOf } from './fees.ts';
import { signedCents, type Cents, type SignedCents } from './money.ts';

export type PostingKind = 'payment' | 'refund' | 'settlement' | 'payout_hold' | 'payout_paid' | 'payout_reversed' | 'dispute_hold' | 'dispute_release' | 'dispute_loss';

export type LedgerEntry = { account: LedgerAccount; amount: SignedCents };

/** One event's posting: what it is about (one posting per event, by a unique index) and its entries. */
export interface LedgerPosting {
  readonly kind: PostingKind;
  readonly merchantNo: string;
  readonly orderNo?: string;
  readonly refundId?: string;
  readonly payoutId?: string;
  readonly disputeNo?: string;
  readonly entries: readonly LedgerEntry[];
}

export class UnbalancedPostingError extends Error {}

/** The posting as given, or an error when its entries do not sum to zero. */
function balanced(posting: LedgerPosting): LedgerPosting {
  const sum = posting.entries.reduce((total, entry) => total + entry.amount, 0);
  if (sum !== 0) throw new UnbalancedPostingError(`unbalanced ${posting.kind} posting for ${posting.disputeNo ?? posting.orderNo ?? posting.payoutId}: entries sum to ${sum}`);
  return posting;
}

/** A payment: the acquirer owes us the amount; the merchant is owed it less our fee, pending settlement. */
export function paymentPosting(order: { merchant_no: string; plat_form_trade_no: string; amount_cents: Cents }, feeBps: number): LedgerPosting {
  const fee = feeOf(order.amount_cents, feeBps);
  return balanced({
    kind: 'payment',
    merchantNo: order.merchant_no,
    orderNo: order.plat_form_trade_no,
    entries: PAYMENT_ENTRY_TERMS.map((term) => ({ account: term.account, amount: signedCents(term.ofAmount * order.amount_cents + term.ofFee * fee) })),
  });
}

/**
 * A payment's entries as terms of its amount and its fee (entry = ofAmount × amount + ofFee × fee):
 * what `paymentPosting` writes, in a form the statement that records an approval evaluates with
 * the order's amount and the merchant's fee it reads (store/attempt-outcome.ts). Each column sums
 * to zero, so the posting balances for any amount and fee.
 */
export const PAYMENT_ENTRY_TERMS: readonly { account: LedgerAccount; ofAmount: number; ofFee: number }[] = [
  { account: LedgerAccount.AcquirerClearing, ofAmount: 1, ofFee: 0 },
  { account: LedgerAccount.MerchantPending, ofAmount: -1, ofFee: 1 },
  { account: LedgerAccount.FeeRevenue, ofAmount: 0, ofFee: -1 },
];

/** A refund: taken from the merchant's pending balance before settlement, from available after. */
export function refundPosting(refund: { id: string; merchant_no: string; order_no: string; amount_cents: Cents }, settled: boolean): LedgerPosting {
  return balanced({
    kind: 'refund',
    merchantNo: refund.merchant_no,
    orderNo: refund.order_no,
    refundId: refund.id,
    entries: [
      { account: settled ? LedgerAccount.MerchantAvailable : LedgerAccount.MerchantPending, amount: refund.amount_cents },
      { account: LedgerAccount.AcquirerClearing, amount: signedCents(-refund.amount_cents) },
    ],
  });
}

/**
 * Settlement of one order: whatever of it is still pending becomes available to pay out.
 * `pendingCents` is the sum of the order's pending entries (credits negative).
 */
export function settlementPosting(order: { merchant_no: string; plat_form_trade_no: string }, pendingCents: number): LedgerPosting {
  const owed = -pendingCents;
  return balanced({
    kind: 'settlement',
    merchantNo: order.merchant_no,
    orderNo: order.plat_form_trade_no,
    entries: [
      { account: LedgerAccount.MerchantPending, amount: signedCents(owed) },
      { account: LedgerAccount.MerchantAvailable, amount: signedCents(-owed) },
    ],
  });
}

export type PayoutMoney = { id: string; merchant_no: string; amount_cents: number; fee_cents: number };

/** A payout accepted: its amount and fee leave the available balance and are held in flight. */
export function payoutHoldPosting(payout: PayoutMoney): LedgerPosting {
  const held = payout.amount_cents + payout.fee_cents;
  return balanced({
    kind: 'payout_hold',
    merchantNo: payout.merchant_no,
    payoutId: payout.id,
    entries: [
      { account: LedgerAccount.MerchantAvailable, amount: signedCents(held) },
      { account: LedgerAccount.PayoutsInFlight, amount: signedCents(-held) },
    ],
  });
}

/** A payout paid: the amount goes out through the acquirer, the fee is ours. */
export function payoutPaidPosting(payout: PayoutMoney): LedgerPosting {
  return balanced({
    kind: 'payout_paid',
    merchantNo: payout.merchant_no,
    payoutId: payout.id,
    entries: [
      { account: LedgerAccount.PayoutsInFlight, amount: signedCents(payout.amount_cents + payout.fee_cents) },
      { account: LedgerAccount.AcquirerClearing, amount: signedCents(-payout.amount_cents) },
      { account: LedgerAccount.FeeRevenue, amount: signedCents(-payout.fee_cents) },
    ],
  });
}

/** A payout failed: the hold goes back to the available balance, fee included. */
export function payoutReversedPosting(payout: PayoutMoney): LedgerPosting {
  const held = payout.amount_cents + payout.fee_cents;
  return balanced({
    kind: 'payout_reversed',
    merchantNo: payout.merchant_no,
    payoutId: payout.id,
    entries: [
      { account: LedgerAccount.PayoutsInFlight, amount: signedCents(held) },
      { account: LedgerAccount.MerchantAvailable, amount: signedCents(-held) },
    ],
  });
}

export type DisputeMoney = { dispute_no: string; merchant_no: string; order_no: string; amount_cents: number };

const disputeOf = (kind: PostingKind, dispute: DisputeMoney, entries: LedgerEntry[]): LedgerPosting =>
  balanced({ kind, merchantNo: dispute.merchant_no, orderNo: dispute.order_no, disputeNo: dispute.dispute_no, entries });

/**
 * A dispute opened (or its funds were withdrawn): the disputed amount moves from the merchant's
 * balance into freezeAmount; from pending before the order is settled, from available after.
 */
export function disputeHoldPosting(dispute: DisputeMoney, settled: boolean): LedgerPosting {
  return disputeOf('dispute_hold', dispute, [
    { account: settled ? LedgerAccount.MerchantAvailable : LedgerAccount.MerchantPending, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(-dispute.amount_cents) },
  ]);
}

/** A dispute won: the held amount is the merchant's again, available. */
export function disputeReleasePosting(dispute: DisputeMoney): LedgerPosting {
  return disputeOf('dispute_release', dispute, [
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(-dispute.amount_cents) },
  ]);
}

/** A dispute lost: the held amount goes back through the acquirer to the bank, and the dispute fee is ours, from available. */
export function disputeLossPosting(dispute: DisputeMoney, feeCents: number): LedgerPosting {
  return disputeOf('dispute_loss', dispute, [
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.AcquirerClearing, amount: signedCents(-dispute.amount_cents) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(feeCents) },
    { account: LedgerAccount.FeeRevenue, amount: signedCents(-feeCents) },
  ]);
}
