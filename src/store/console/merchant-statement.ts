import { sql, type Kysely } from 'kysely';
import type { Database, PostingKind } from '../../db/schema.ts';
import { scopedMerchant, type ConsoleScope } from '../../domain/console-scope.ts';
import { LedgerAccount } from '../../domain/ledger-account.ts';
import { signedCents, type SignedCents } from '../../domain/money.ts';

/** The merchant `scope` may see, by number; undefined for one it may not, or none. */
export function findScopedMerchant(db: Kysely<Database>, scope: ConsoleScope, merchantNo: string) {
  const only = scopedMerchant(scope);
  let query = db.selectFrom('merchants').selectAll().where('merchant_no', '=', merchantNo);
  if (only !== null) query = query.where('merchant_no', '=', only);
  return query.executeTakeFirst();
}

/** One posting as the merchant's statement shows it: what it did to each of the merchant's balances. */
export interface StatementLine {
  postingId: number;
  kind: PostingKind;
  orderNo: string | null;
  payoutId: string | null;
  createdAt: Date;
  /** Changes to what we owe the merchant (credits positive), per account. */
  pendingCents: SignedCents;
  availableCents: SignedCents;
  frozenCents: SignedCents;
  /** What we owe the merchant in all (pending + available + frozen) after this posting. */
  balanceCents: SignedCents;
}

const OWED = [LedgerAccount.MerchantPending, LedgerAccount.MerchantAvailable, LedgerAccount.MerchantFrozen];
const owed = sql.join(OWED.map((account) => sql.lit(account)));

/**
 * The merchant's postings newest first, `limit` at a time before the posting `before`, each with
 * the running balance after it. The balance at the top of the page is one sum over the
 * merchant's entries up to that posting; the lines below it step back by their own changes, so
 * a page costs one index range, not a sum per line. Empty outside `scope`.
 */
export async function listStatement(db: Kysely<Database>, scope: ConsoleScope, merchantNo: string, page: { before?: number | undefined; limit: number }) {
  const only = scopedMerchant(scope);
  const { rows } = await sql<{ id: string; kind: PostingKind; order_no: string | null; payout_id: string | null; created_at: Date; pending: string; available: string; frozen: string; balance: string }>`
    WITH page AS (
      SELECT p.id, p.kind, p.order_no, p.payout_id, p.created_at,
             -coalesce(sum(e.amount_cents) FILTER (WHERE e.account = ${sql.lit(LedgerAccount.MerchantPending)}), 0) AS pending,
             -coalesce(sum(e.amount_cents) FILTER (WHERE e.account = ${sql.lit(LedgerAccount.MerchantAvailable)}), 0) AS available,
             -coalesce(sum(e.amount_cents) FILTER (WHERE e.account = ${sql.lit(LedgerAccount.MerchantFrozen)}), 0) AS frozen
        FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
       WHERE p.merchant_no = ${merchantNo} ${only === null ? sql`` : sql`AND p.merchant_no = ${only}`}
             ${page.before === undefined ? sql`` : sql`AND p.id < ${page.before}`}
       GROUP BY p.id ORDER BY p.id DESC LIMIT ${page.limit + 1}),
    top AS (
      SELECT -coalesce(sum(amount_cents), 0) AS balance FROM ledger_entries
       WHERE merchant_no = ${merchantNo} AND account IN (${owed}) AND posting_id <= (SELECT max(id) FROM page))
    SELECT page.*, top.balance - coalesce(sum(page.pending + page.available + page.frozen) OVER (ORDER BY page.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS balance
      FROM page, top ORDER BY page.id DESC`.execute(db);
  const lines: StatementLine[] = rows.slice(0, page.limit).map((row) => ({
    postingId: Number(row.id),
    kind: row.kind,
    orderNo: row.order_no,
    payoutId: row.payout_id,
    createdAt: row.created_at,
    pendingCents: signedCents(Number(row.pending)),
    availableCents: signedCents(Number(row.available)),
    frozenCents: signedCents(Number(row.frozen)),
    balanceCents: signedCents(Number(row.balance)),
  }));
  return rows.length > page.limit ? { lines, next: lines.at(-1)!.postingId } : { lines };
}

/** The whole statement, one page of `chunk` lines at a time (the CSV export). */
export async function* eachStatementLine(db: Kysely<Database>, scope: ConsoleScope, merchantNo: string, chunk = 500): AsyncGenerator<StatementLine> {
  let before: number | undefined;
  do {
    const page = await listStatement(db, scope, merchantNo, { before, limit: chunk });
    yield* page.lines;
    before = page.next;
  } while (before !== undefined);
}

/** Settlements by UTC day, newest first: how many payments became available and how much. */
export async function listSettlements(db: Kysely<Database>, scope: ConsoleScope, merchantNo: string, days = 30) {
  const only = scopedMerchant(scope);
  const { rows } = await sql<{ day: string; payments: string; cents: string }>`
    SELECT to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(DISTINCT p.id) AS payments, -coalesce(sum(e.amount_cents), 0) AS cents
      FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id AND e.account = ${sql.lit(LedgerAccount.MerchantAvailable)}
     WHERE p.merchant_no = ${merchantNo} AND p.kind = 'settlement' ${only === null ? sql`` : sql`AND p.merchant_no = ${only}`}
     GROUP BY 1 ORDER BY 1 DESC LIMIT ${days}`.execute(db);
  return rows.map((row) => ({ day: row.day, payments: Number(row.payments), cents: signedCents(Number(row.cents)) }));
}
