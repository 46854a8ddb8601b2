import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertPosting, merchantFeeBps, pendingEntriesOfOrder, type LedgerEntry } from '../store/ledger/ledger-postings.ts';
import { LedgerAccount } from '../domain/ledger-account.ts';
import { feeOf } from '../domain/fees.ts';
import { signedCents, type Cents } from '../domain/money.ts';

/**
 * Writes one posting and its entries inside the caller's transaction. The entries must sum to
 * zero; a posting of the same event twice is ignored (unique index), so callers may retry.
 */
async function post(trx: Transaction<Database>, posting: Parameters<typeof insertPosting>[1], entries: LedgerEntry[]): Promise<boolean> {
  const sum = entries.reduce((total, entry) => total + entry.amount, 0);
  if (sum !== 0) throw new Error(`unbalanced ${posting.kind} posting for ${posting.disputeNo ?? posting.orderNo ?? posting.payoutId}: entries sum to ${sum}`);
  return insertPosting(trx, posting, entries);
}

/** A payment: the acquirer owes us the amount; the merchant is owed it less our fee, pending settlement. */
export async function postPayment(trx: Transaction<Database>, order: { merchant_no: string; plat_form_trade_no: string; amount_cents: Cents }) {
  const fee = feeOf(order.amount_cents, await merchantFeeBps(trx, order.merchant_no));
  await post(trx, { kind: 'payment', merchantNo: order.merchant_no, orderNo: order.plat_form_trade_no }, [
    { account: LedgerAccount.AcquirerClearing, amount: order.amount_cents },
    { account: LedgerAccount.MerchantPending, amount: signedCents(-(order.amount_cents - fee)) },
    { account: LedgerAccount.FeeRevenue, amount: signedCents(-fee) },
  ]);
}

/** A refund: taken from the merchant's pending balance before settlement, from available after. */
export async function postRefund(
  trx: Transaction<Database>,
  refund: { id: string; merchant_no: string; order_no: string; amount_cents: Cents },
  settled: boolean,
) {
  await post(trx, { kind: 'refund', merchantNo: refund.merchant_no, orderNo: refund.order_no, refundId: refund.id }, [
    { account: settled ? LedgerAccount.MerchantAvailable : LedgerAccount.MerchantPending, amount: refund.amount_cents },
    { account: LedgerAccount.AcquirerClearing, amount: signedCents(-refund.amount_cents) },
  ]);
}

/** Settlement of one order: whatever of it is still pending becomes available to pay out. */
export async function postSettlement(trx: Transaction<Database>, order: { merchant_no: string; plat_form_trade_no: string }) {
  const owed = -(await pendingEntriesOfOrder(trx, order.plat_form_trade_no));
  await post(trx, { kind: 'settlement', merchantNo: order.merchant_no, orderNo: order.plat_form_trade_no }, [
    { account: LedgerAccount.MerchantPending, amount: signedCents(owed) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(-owed) },
  ]);
}

type PayoutMoney = { id: string; merchant_no: string; amount_cents: number; fee_cents: number };

/** A payout accepted: its amount and fee leave the available balance and are held in flight. */
export async function postPayoutHold(trx: Transaction<Database>, payout: PayoutMoney) {
  const held = payout.amount_cents + payout.fee_cents;
  await post(trx, { kind: 'payout_hold', merchantNo: payout.merchant_no, payoutId: payout.id }, [
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(held) },
    { account: LedgerAccount.PayoutsInFlight, amount: signedCents(-held) },
  ]);
}

/** A payout paid: the amount goes out through the acquirer, the fee is ours. */
export async function postPayoutPaid(trx: Transaction<Database>, payout: PayoutMoney) {
  await post(trx, { kind: 'payout_paid', merchantNo: payout.merchant_no, payoutId: payout.id }, [
    { account: LedgerAccount.PayoutsInFlight, amount: signedCents(payout.amount_cents + payout.fee_cents) },
    { account: LedgerAccount.AcquirerClearing, amount: signedCents(-payout.amount_cents) },
    { account: LedgerAccount.FeeRevenue, amount: signedCents(-payout.fee_cents) },
  ]);
}

/** A payout failed: the hold goes back to the available balance, fee included. */
export async function postPayoutReversed(trx: Transaction<Database>, payout: PayoutMoney) {
  const held = payout.amount_cents + payout.fee_cents;
  await post(trx, { kind: 'payout_reversed', merchantNo: payout.merchant_no, payoutId: payout.id }, [
    { account: LedgerAccount.PayoutsInFlight, amount: signedCents(held) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(-held) },
  ]);
}

type DisputeMoney = { dispute_no: string; merchant_no: string; order_no: string; amount_cents: number };

/**
 * A dispute opened (or its funds were withdrawn): the disputed amount moves from the merchant's
 * balance into freezeAmount; from pending before the order is settled, from available after.
 */
export async function postDisputeHold(trx: Transaction<Database>, dispute: DisputeMoney, settled: boolean) {
  await post(trx, { kind: 'dispute_hold', merchantNo: dispute.merchant_no, orderNo: dispute.order_no, disputeNo: dispute.dispute_no }, [
    { account: settled ? LedgerAccount.MerchantAvailable : LedgerAccount.MerchantPending, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(-dispute.amount_cents) },
  ]);
}

/** A dispute won: the held amount is the merchant's again, available. */
export async function postDisputeRelease(trx: Transaction<Database>, dispute: DisputeMoney) {
  await post(trx, { kind: 'dispute_release', merchantNo: dispute.merchant_no, orderNo: dispute.order_no, disputeNo: dispute.dispute_no }, [
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(-dispute.amount_cents) },
  ]);
}

/** A dispute lost: the held amount goes back through the acquirer to the bank, and the dispute fee is ours, from available. */
export async function postDisputeLoss(trx: Transaction<Database>, dispute: DisputeMoney, feeCents: number) {
  await post(trx, { kind: 'dispute_loss', merchantNo: dispute.merchant_no, orderNo: dispute.order_no, disputeNo: dispute.dispute_no }, [
    { account: LedgerAccount.MerchantFrozen, amount: signedCents(dispute.amount_cents) },
    { account: LedgerAccount.AcquirerClearing, amount: signedCents(-dispute.amount_cents) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(feeCents) },
    { account: LedgerAccount.FeeRevenue, amount: signedCents(-feeCents) },
  ]);
}
