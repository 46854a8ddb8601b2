import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { LedgerAccount } from '../domain/ledger-account.ts';
import { feeOf } from '../domain/fees.ts';
import { signedCents, type Cents, type SignedCents } from '../domain/money.ts';

type Entry = { account: LedgerAccount; amount: SignedCents };

/**
 * Writes one posting and its entries inside the caller's transaction. The entries must sum to
 * zero; a posting of the same event twice is ignored (unique index), so callers may retry.
 */
async function post(
  trx: Transaction<Database>,
  posting: { kind: 'payment' | 'refund' | 'settlement'; merchantNo: string; orderNo: string; refundId?: string },
  entries: Entry[],
): Promise<boolean> {
  const sum = entries.reduce((total, entry) => total + entry.amount, 0);
  if (sum !== 0) throw new Error(`unbalanced ${posting.kind} posting for ${posting.orderNo}: entries sum to ${sum}`);
  const inserted = await trx
    .insertInto('ledger_postings')
    .values({ kind: posting.kind, merchant_no: posting.merchantNo, order_no: posting.orderNo, refund_id: posting.refundId ?? null })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  const nonZero = entries.filter((entry) => entry.amount !== 0);
  if (nonZero.length > 0) {
    await trx
      .insertInto('ledger_entries')
      .values(nonZero.map((entry) => ({ posting_id: inserted.id, account: entry.account, merchant_no: posting.merchantNo, amount_cents: entry.amount })))
      .execute();
  }
  return true;
}

/** A payment: the acquirer owes us the amount; the merchant is owed it less our fee, pending settlement. */
export async function postPayment(trx: Transaction<Database>, order: { merchant_no: string; plat_form_trade_no: string; amount_cents: Cents }) {
  const merchant = await trx.selectFrom('merchants').select('fee_bps').where('merchant_no', '=', order.merchant_no).executeTakeFirstOrThrow();
  const fee = feeOf(order.amount_cents, merchant.fee_bps);
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
  const pending = await trx
    .selectFrom('ledger_entries')
    .innerJoin('ledger_postings', 'ledger_postings.id', 'ledger_entries.posting_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('ledger_entries.amount_cents'), eb.lit(0)).as('cents'))
    .where('ledger_postings.order_no', '=', order.plat_form_trade_no)
    .where('ledger_entries.account', '=', LedgerAccount.MerchantPending)
    .executeTakeFirstOrThrow();
  const owed = -Number(pending.cents);
  await post(trx, { kind: 'settlement', merchantNo: order.merchant_no, orderNo: order.plat_form_trade_no }, [
    { account: LedgerAccount.MerchantPending, amount: signedCents(owed) },
    { account: LedgerAccount.MerchantAvailable, amount: signedCents(-owed) },
  ]);
}
