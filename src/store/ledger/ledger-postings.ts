import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { LedgerAccount } from '../../domain/ledger-account.ts';
import type { Cents } from '../../domain/money.ts';
import {
  disputeHoldPosting,
  disputeLossPosting,
  disputeReleasePosting,
  paymentPosting,
  payoutHoldPosting,
  payoutPaidPosting,
  payoutReversedPosting,
  refundPosting,
  settlementPosting,
  type DisputeMoney,
  type LedgerPosting,
  type PayoutMoney,
} from '../../domain/ledger-postings.ts';

/**
 * Writes one posting and its non-zero entries inside the caller's transaction (domain/ledger-postings.ts
 * decides the entries and checks they sum to zero). A posting of the same event twice is
 * ignored (unique index), so callers may retry: answers false then.
 */
export async function insertPosting(trx: Transaction<Database>, posting: LedgerPosting): Promise<boolean> {
  const inserted = await trx
    .insertInto('ledger_postings')
    .values({
      kind: posting.kind,
      merchant_no: posting.merchantNo,
      order_no: posting.orderNo ?? null,
      refund_id: posting.refundId ?? null,
      payout_id: posting.payoutId ?? null,
      dispute_no: posting.disputeNo ?? null,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  const nonZero = posting.entries.filter((entry) => entry.amount !== 0);
  if (nonZero.length > 0) {
    await trx
      .insertInto('ledger_entries')
      .values(nonZero.map((entry) => ({ posting_id: inserted.id, account: entry.account, merchant_no: posting.merchantNo, amount_cents: entry.amount })))
      .execute();
  }
  return true;
}

/** The merchant's fee in basis points, read inside the transaction that posts a payment. */
async function merchantFeeBps(trx: Transaction<Database>, merchantNo: string): Promise<number> {
  const merchant = await trx.selectFrom('merchants').select('fee_bps').where('merchant_no', '=', merchantNo).executeTakeFirstOrThrow();
  return merchant.fee_bps;
}

/** What an order still has in the merchant's pending balance: the sum of its pending entries (credits negative). */
async function pendingEntriesOfOrder(trx: Transaction<Database>, orderNo: string): Promise<number> {
  const pending = await trx
    .selectFrom('ledger_entries')
    .innerJoin('ledger_postings', 'ledger_postings.id', 'ledger_entries.posting_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('ledger_entries.amount_cents'), eb.lit(0)).as('cents'))
    .where('ledger_postings.order_no', '=', orderNo)
    .where('ledger_entries.account', '=', LedgerAccount.MerchantPending)
    .executeTakeFirstOrThrow();
  return Number(pending.cents);
}

/** Posts a payment at the merchant's fee. */
export async function postPayment(trx: Transaction<Database>, order: { merchant_no: string; plat_form_trade_no: string; amount_cents: Cents }) {
  await insertPosting(trx, paymentPosting(order, await merchantFeeBps(trx, order.merchant_no)));
}

/** Posts a refund, from the pending balance before settlement and from available after. */
export async function postRefund(trx: Transaction<Database>, refund: { id: string; merchant_no: string; order_no: string; amount_cents: Cents }, settled: boolean) {
  await insertPosting(trx, refundPosting(refund, settled));
}

/** Posts the settlement of what an order still has pending. */
export async function postSettlement(trx: Transaction<Database>, order: { merchant_no: string; plat_form_trade_no: string }) {
  await insertPosting(trx, settlementPosting(order, await pendingEntriesOfOrder(trx, order.plat_form_trade_no)));
}

export async function postPayoutHold(trx: Transaction<Database>, payout: PayoutMoney) {
  await insertPosting(trx, payoutHoldPosting(payout));
}

export async function postPayoutPaid(trx: Transaction<Database>, payout: PayoutMoney) {
  await insertPosting(trx, payoutPaidPosting(payout));
}

export async function postPayoutReversed(trx: Transaction<Database>, payout: PayoutMoney) {
  await insertPosting(trx, payoutReversedPosting(payout));
}

export async function postDisputeHold(trx: Transaction<Database>, dispute: DisputeMoney, settled: boolean) {
  await insertPosting(trx, disputeHoldPosting(dispute, settled));
}

export async function postDisputeRelease(trx: Transaction<Database>, dispute: DisputeMoney) {
  await insertPosting(trx, disputeReleasePosting(dispute));
}

export async function postDisputeLoss(trx: Transaction<Database>, dispute: DisputeMoney, feeCents: number) {
  await insertPosting(trx, disputeLossPosting(dispute, feeCents));
}

/**
 * domain/fees.ts's `feeOf` (basis points of the amount, rounded half up to the cent) as SQL, for
 * the statement that records an approval with the amount and fee it reads: integer division of
 * non-negative numbers is the floor. test/store/fee-of-sql.test.ts checks the two agree.
 */
export const feeOfSql = (amountCents: RawBuilder<unknown>, feeBps: RawBuilder<unknown>) => sql<number>`(((${amountCents})::bigint * (${feeBps}) + 5000) / 10000)`;
