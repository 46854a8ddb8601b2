import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { PayoutStatusCode } from '../../domain/payout-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { DisputeStatus } from '../../domain/dispute.ts';

/** One thing wrong with the ledger, said so that an operator can find it. */
export interface LedgerProblem {
  rule: string;
  detail: string;
}

/**
 * Checks the ledger against itself and against the rows it accounts for (`payrail ledger
 * check`). An empty answer means healthy:
 * - every posting's entries sum to zero, and each entry belongs to its posting's merchant;
 * - each payment, refund, payout and dispute has exactly the postings its state calls for;
 * - each merchant's balances equal what its payments, refunds, payouts and lost disputes say they
 *   should be, and its frozen balance the amounts of its open disputes.
 */
export async function checkLedger(db: Kysely<Database>): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const found = async (rule: string, query: ReturnType<typeof sql<{ detail: string }>>) => {
    const rows = (await query.execute(db)).rows;
    for (const row of rows.slice(0, 100)) problems.push({ rule, detail: row.detail });
  };

  await found(
    'every posting sums to zero',
    sql<{ detail: string }>`
      SELECT 'posting ' || p.id || ' (' || p.kind || ') sums to ' || coalesce(sum(e.amount_cents), 0) AS detail
        FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
       GROUP BY p.id HAVING coalesce(sum(e.amount_cents), 0) <> 0`,
  );
  await found(
    "entries belong to their posting's merchant",
    sql<{ detail: string }>`
      SELECT 'entry ' || e.id || ' of posting ' || p.id || ' names merchant ' || e.merchant_no || ', the posting ' || p.merchant_no AS detail
        FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id WHERE e.merchant_no <> p.merchant_no`,
  );
  await found(
    'a paid order has one payment posting, an unpaid order none',
    sql<{ detail: string }>`
      SELECT 'order ' || o.plat_form_trade_no || ' (status ' || o.status || ') has ' || count(p.id) || ' payment postings' AS detail
        FROM orders o LEFT JOIN ledger_postings p ON p.order_no = o.plat_form_trade_no AND p.kind = 'payment'
       GROUP BY o.plat_form_trade_no, o.status HAVING count(p.id) <> CASE WHEN o.status = ${sql.lit(OrderStatus.Paid)} THEN 1 ELSE 0 END`,
  );
  await found(
    'a successful refund has one posting, any other none',
    sql<{ detail: string }>`
      SELECT 'refund ' || r.id || ' (status ' || r.status || ') has ' || count(p.id) || ' postings' AS detail
        FROM refunds r LEFT JOIN ledger_postings p ON p.refund_id = r.id AND p.kind = 'refund'
       GROUP BY r.id, r.status HAVING count(p.id) <> CASE WHEN r.status = ${sql.lit(RefundStatus.Succeeded)} THEN 1 ELSE 0 END`,
  );
  await found(
    'a payout is held once, then paid or reversed once as its status says',
    sql<{ detail: string }>`
      SELECT 'payout ' || x.id || ' (status ' || x.status || ') has holds/paid/reversed ' || x.holds || '/' || x.paid || '/' || x.reversed AS detail
        FROM (SELECT po.id, po.status,
                     count(*) FILTER (WHERE p.kind = 'payout_hold') AS holds,
                     count(*) FILTER (WHERE p.kind = 'payout_paid') AS paid,
                     count(*) FILTER (WHERE p.kind = 'payout_reversed') AS reversed
                FROM payouts po LEFT JOIN ledger_postings p ON p.payout_id = po.id
               GROUP BY po.id, po.status) x
       WHERE x.holds <> 1
          OR x.paid <> CASE WHEN x.status = ${sql.lit(PayoutStatusCode.Paid)} THEN 1 ELSE 0 END
          OR x.reversed <> CASE WHEN x.status = ${sql.lit(PayoutStatusCode.Failed)} THEN 1 ELSE 0 END`,
  );
  await found(
    "a merchant's payouts in flight equal its PROCESSING payouts",
    sql<{ detail: string }>`
      SELECT 'merchant ' || m.merchant_no || ' holds ' || coalesce(l.cents, 0) || ' in flight, its processing payouts ' || coalesce(po.cents, 0) AS detail
        FROM merchants m
        LEFT JOIN (SELECT merchant_no, -sum(amount_cents) AS cents FROM ledger_entries WHERE account = 'payouts_in_flight' GROUP BY merchant_no) l ON l.merchant_no = m.merchant_no
        LEFT JOIN (SELECT merchant_no, sum(amount_cents + fee_cents) AS cents FROM payouts WHERE status = ${sql.lit(PayoutStatusCode.Processing)} GROUP BY merchant_no) po ON po.merchant_no = m.merchant_no
       WHERE coalesce(l.cents, 0) <> coalesce(po.cents, 0)`,
  );
  await found(
    'a dispute is held once while open, released once if won after a hold, lost once with its hold',
    sql<{ detail: string }>`
      SELECT 'dispute ' || x.dispute_no || ' (status ' || x.status || ') has holds/releases/losses ' || x.holds || '/' || x.releases || '/' || x.losses AS detail
        FROM (SELECT d.dispute_no, d.status,
                     count(*) FILTER (WHERE p.kind = 'dispute_hold') AS holds,
                     count(*) FILTER (WHERE p.kind = 'dispute_release') AS releases,
                     count(*) FILTER (WHERE p.kind = 'dispute_loss') AS losses
                FROM disputes d LEFT JOIN ledger_postings p ON p.dispute_no = d.dispute_no
               GROUP BY d.dispute_no, d.status) x
       WHERE x.holds > 1 OR x.releases > 1 OR x.losses > 1
          OR (x.status = ${sql.lit(DisputeStatus.Open)} AND (x.holds, x.releases, x.losses) <> (1, 0, 0))
          OR (x.status = ${sql.lit(DisputeStatus.Won)} AND (x.releases <> x.holds OR x.losses <> 0))
          OR (x.status = ${sql.lit(DisputeStatus.Lost)} AND (x.holds, x.releases, x.losses) <> (1, 0, 1))`,
  );
  await found(
    "a merchant's frozen balance equals its open disputes",
    sql<{ detail: string }>`
      SELECT 'merchant ' || m.merchant_no || ' has ' || coalesce(l.cents, 0) || ' frozen, its open disputes ' || coalesce(d.cents, 0) AS detail
        FROM merchants m
        LEFT JOIN (SELECT merchant_no, -sum(amount_cents) AS cents FROM ledger_entries WHERE account = 'merchant_frozen' GROUP BY merchant_no) l ON l.merchant_no = m.merchant_no
        LEFT JOIN (SELECT merchant_no, sum(amount_cents) AS cents FROM disputes WHERE status = ${sql.lit(DisputeStatus.Open)} GROUP BY merchant_no) d ON d.merchant_no = m.merchant_no
       WHERE coalesce(l.cents, 0) <> coalesce(d.cents, 0)`,
  );
  await found(
    "a merchant's balances equal its payments less fees, refunds, payouts and lost disputes",
    sql<{ detail: string }>`
      SELECT 'merchant ' || m.merchant_no || ': ledger owes ' || coalesce(l.cents, 0) || ', its payments, refunds, payouts and lost disputes say ' ||
             (coalesce(pay.cents, 0) - coalesce(re.cents, 0) - coalesce(po.cents, 0) - coalesce(dl.cents, 0)) AS detail
        FROM merchants m
        LEFT JOIN (SELECT merchant_no, -sum(amount_cents) AS cents FROM ledger_entries
                    WHERE account IN ('merchant_pending', 'merchant_available', 'merchant_frozen', 'payouts_in_flight') GROUP BY merchant_no) l
               ON l.merchant_no = m.merchant_no
        LEFT JOIN (SELECT p.merchant_no, sum(-e.amount_cents) AS cents FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id
                    WHERE p.kind = 'payment' AND e.account = 'merchant_pending' GROUP BY p.merchant_no) pay
               ON pay.merchant_no = m.merchant_no
        LEFT JOIN (SELECT merchant_no, sum(amount_cents) AS cents FROM refunds WHERE status = ${sql.lit(RefundStatus.Succeeded)} GROUP BY merchant_no) re ON re.merchant_no = m.merchant_no
        LEFT JOIN (SELECT merchant_no, sum(amount_cents + fee_cents) AS cents FROM payouts WHERE status = ${sql.lit(PayoutStatusCode.Paid)} GROUP BY merchant_no) po ON po.merchant_no = m.merchant_no
        LEFT JOIN (SELECT merchant_no, sum(amount_cents + fee_cents) AS cents FROM disputes WHERE status = ${sql.lit(DisputeStatus.Lost)} GROUP BY merchant_no) dl ON dl.merchant_no = m.merchant_no
       WHERE coalesce(l.cents, 0) <> coalesce(pay.cents, 0) - coalesce(re.cents, 0) - coalesce(po.cents, 0) - coalesce(dl.cents, 0)`,
  );
  return problems;
}
