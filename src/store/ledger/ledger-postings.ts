import type { Transaction } from 'kysely';
import type { Database, PostingKind } from '../../db/schema.ts';
import { LedgerAccount } from '../../domain/ledger-account.ts';
import type { SignedCents } from '../../domain/money.ts';

export type LedgerEntry = { account: LedgerAccount; amount: SignedCents };

/**
 * Writes one posting and its non-zero entries inside the caller's transaction (ledger/postings.ts
 * decides the entries and checks they sum to zero). A posting of the same event twice is
 * ignored (unique index), so callers may retry: answers false then.
 */
export async function insertPosting(
  trx: Transaction<Database>,
  posting: { kind: PostingKind; merchantNo: string; orderNo?: string; refundId?: string; payoutId?: string; disputeNo?: string },
  entries: LedgerEntry[],
): Promise<boolean> {
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
  const nonZero = entries.filter((entry) => entry.amount !== 0);
  if (nonZero.length > 0) {
    await trx
      .insertInto('ledger_entries')
      .values(nonZero.map((entry) => ({ posting_id: inserted.id, account: entry.account, merchant_no: posting.merchantNo, amount_cents: entry.amount })))
      .execute();
  }
  return true;
}

/** The merchant's fee in basis points, read inside the transaction that posts a payment. */
export async function merchantFeeBps(trx: Transaction<Database>, merchantNo: string): Promise<number> {
  const merchant = await trx.selectFrom('merchants').select('fee_bps').where('merchant_no', '=', merchantNo).executeTakeFirstOrThrow();
  return merchant.fee_bps;
}

/** What an order still has in the merchant's pending balance: the sum of its pending entries (credits negative). */
export async function pendingEntriesOfOrder(trx: Transaction<Database>, orderNo: string): Promise<number> {
  const pending = await trx
    .selectFrom('ledger_entries')
    .innerJoin('ledger_postings', 'ledger_postings.id', 'ledger_entries.posting_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('ledger_entries.amount_cents'), eb.lit(0)).as('cents'))
    .where('ledger_postings.order_no', '=', orderNo)
    .where('ledger_entries.account', '=', LedgerAccount.MerchantPending)
    .executeTakeFirstOrThrow();
  return Number(pending.cents);
}
