import { sql, type Kysely, type Transaction } from 'kysely';
import { RefundStatus } from '../../domain/refund-status.ts';
import type { Database } from '../../db/schema.ts';
import { LedgerAccount } from '../../domain/ledger-account.ts';
import { signedCents, type SignedCents } from '../../domain/money.ts';

export interface MerchantBalance {
  /** Settled: can be paid out. */
  available: SignedCents;
  /** Paid but not yet settled. */
  unsettled: SignedCents;
  /** Held, e.g. for disputes. */
  frozen: SignedCents;
}

const MERCHANT_ACCOUNTS = [LedgerAccount.MerchantAvailable, LedgerAccount.MerchantPending, LedgerAccount.MerchantFrozen];

/** A merchant's balances, summed from ledger entries (credits are what we owe the merchant). */
export async function merchantBalance(db: Kysely<Database>, merchantNo: string): Promise<MerchantBalance> {
  const result = await sql<{ account: string; cents: number }>`
    SELECT account, -sum(amount_cents)::bigint AS cents FROM ledger_entries
     WHERE merchant_no = ${merchantNo} AND account IN (${sql.join(MERCHANT_ACCOUNTS.map((account) => sql.lit(account)))})
     GROUP BY account`.execute(db);
  const of = (account: LedgerAccount) => signedCents(Number(result.rows.find((row) => row.account === account)?.cents ?? 0));
  return { available: of(LedgerAccount.MerchantAvailable), unsettled: of(LedgerAccount.MerchantPending), frozen: of(LedgerAccount.MerchantFrozen) };
}

/** Postings whose entries do not sum to zero: always empty in a healthy ledger. */
export async function unbalancedPostings(db: Kysely<Database>): Promise<number[]> {
  const result = await sql<{ posting_id: number }>`
    SELECT posting_id FROM ledger_entries GROUP BY posting_id HAVING sum(amount_cents) <> 0`.execute(db);
  return result.rows.map((row) => Number(row.posting_id));
}

/**
 * What a payout, or a refund taken from the available balance, may still take: the available
 * balance less refunds in flight (any of them may yet be taken from it). Read it under the
 * merchant's row lock so that two takers cannot both spend the same cents.
 */
export async function spendableCents(trx: Transaction<Database>, merchantNo: string): Promise<number> {
  const result = await sql<{ available: number; refunding: number }>`
    SELECT (SELECT -coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE merchant_no = ${merchantNo} AND account = 'merchant_available')::bigint AS available,
           (SELECT coalesce(sum(amount_cents), 0) FROM refunds WHERE merchant_no = ${merchantNo} AND status = ${sql.lit(RefundStatus.Processing)})::bigint AS refunding`.execute(trx);
  const row = result.rows[0]!;
  return Number(row.available) - Number(row.refunding);
}
