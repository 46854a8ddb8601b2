import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { scopedMerchant, type ConsoleScope } from '../../domain/console-scope.ts';
import { AttemptStatus } from '../../domain/attempt-status.ts';
import { JobKind, JobStatus } from '../../domain/job-status.ts';
import { signedCents, type SignedCents } from '../../domain/money.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { PayoutStatusCode } from '../../domain/payout-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { disputeOverview } from '../disputes.ts';

/** The periods the overview sums over: since midnight UTC, or the last 7 or 30 days. */
export const OVERVIEW_RANGES = ['today', '7d', '30d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];

export interface Overview {
  since: Date;
  /** The chart's step: hours for today, days otherwise. */
  bucket: 'hour' | 'day';
  orders: { count: number; paid: number; paidCents: SignedCents; failed: number };
  /** Paid orders per step, every step present (zero when nothing was paid). */
  series: { label: string; paid: number; paidCents: SignedCents }[];
  /** Payment attempts per acquirer connector (an error handed over to the next acquirer is not counted). */
  acquirers: { acquirer: string; approved: number; declined: number; errors: number }[];
  /** Declined attempts by the reason the acquirer gave, most frequent first. */
  declines: { reason: string; count: number }[];
  refunds: { succeeded: number; succeededCents: SignedCents; processing: number; failed: number };
  payouts: { paid: number; paidCents: SignedCents; processing: number; failed: number };
  /** Disputes open now (their amount held), and those won and lost in the period. */
  disputes: { open: number; openCents: SignedCents; won: number; lost: number };
  /** Notifications queued in the period, by where they stand now. */
  notifications: { delivered: number; retrying: number; waiting: number; failed: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP_DECLINE_REASONS = 8;

export function overviewSince(range: OverviewRange, now: Date): Date {
  if (range === 'today') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(now.getTime() - (range === '7d' ? 7 : 30) * DAY_MS);
}

const n = (value: unknown) => Number(value ?? 0);

/**
 * Everything the overview shows for `scope` over `range`, each figure summed by the database
 * (a handful of aggregate queries, none returning more rows than the chart has bars). Orders,
 * attempts and notifications count by when the order or notification was created.
 */
export async function loadOverview(db: Kysely<Database>, scope: ConsoleScope, range: OverviewRange, now: Date): Promise<Overview> {
  const since = overviewSince(range, now);
  const bucket = range === 'today' ? 'hour' : 'day';
  const only = scopedMerchant(scope);
  const ofMerchant = (column: RawBuilder<unknown>) => (only === null ? sql`` : sql`AND ${column} = ${only}`);
  const format = bucket === 'hour' ? 'HH24:00' : 'YYYY-MM-DD';

  const [orders, series, acquirers, declines, refunds, payouts, notifications] = await Promise.all([
    sql<Record<string, string>>`
      SELECT count(*) AS count, count(*) FILTER (WHERE status = ${sql.lit(OrderStatus.Paid)}) AS paid,
             coalesce(sum(amount_cents) FILTER (WHERE status = ${sql.lit(OrderStatus.Paid)}), 0) AS paid_cents,
             count(*) FILTER (WHERE status = ${sql.lit(OrderStatus.Failed)}) AS failed
        FROM orders WHERE created_at >= ${since} ${ofMerchant(sql.ref('merchant_no'))}`.execute(db),
    sql<{ label: string; paid: string; paid_cents: string }>`
      WITH paid AS (
        SELECT date_trunc(${bucket}, created_at AT TIME ZONE 'UTC') AS start, count(*) AS paid, sum(amount_cents) AS paid_cents
          FROM orders WHERE created_at >= ${since} AND status = ${sql.lit(OrderStatus.Paid)} ${ofMerchant(sql.ref('merchant_no'))}
         GROUP BY 1)
      SELECT to_char(steps.start, ${format}) AS label, coalesce(paid.paid, 0) AS paid, coalesce(paid.paid_cents, 0) AS paid_cents
        FROM generate_series(date_trunc(${bucket}, ${since}::timestamptz AT TIME ZONE 'UTC'), date_trunc(${bucket}, ${now}::timestamptz AT TIME ZONE 'UTC'), ${sql.lit(`1 ${bucket}`)}::interval) AS steps(start)
        LEFT JOIN paid ON paid.start = steps.start
       ORDER BY steps.start`.execute(db),
    sql<{ acquirer: string; approved: string; declined: string; errors: string }>`
      SELECT coalesce(a.acquirer, 'default') AS acquirer,
             count(*) FILTER (WHERE a.status = ${sql.lit(AttemptStatus.Approved)}) AS approved,
             count(*) FILTER (WHERE a.status = ${sql.lit(AttemptStatus.Declined)}) AS declined,
             count(*) FILTER (WHERE a.status = ${sql.lit(AttemptStatus.Error)} AND NOT a.failed_over) AS errors
        FROM orders o JOIN payment_attempts a ON a.order_no = o.plat_form_trade_no
       WHERE o.created_at >= ${since} ${ofMerchant(sql.ref('o.merchant_no'))}
       GROUP BY 1 ORDER BY 1`.execute(db),
    sql<{ reason: string; count: string }>`
      SELECT coalesce(a.reason, 'no reason given') AS reason, count(*) AS count
        FROM orders o JOIN payment_attempts a ON a.order_no = o.plat_form_trade_no
       WHERE o.created_at >= ${since} AND a.status = ${sql.lit(AttemptStatus.Declined)} ${ofMerchant(sql.ref('o.merchant_no'))}
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_DECLINE_REASONS}`.execute(db),
    sql<Record<string, string>>`
      SELECT count(*) FILTER (WHERE status = ${sql.lit(RefundStatus.Succeeded)}) AS succeeded,
             coalesce(sum(amount_cents) FILTER (WHERE status = ${sql.lit(RefundStatus.Succeeded)}), 0) AS succeeded_cents,
             count(*) FILTER (WHERE status = ${sql.lit(RefundStatus.Processing)}) AS processing,
             count(*) FILTER (WHERE status = ${sql.lit(RefundStatus.Failed)}) AS failed
        FROM refunds WHERE created_at >= ${since} ${ofMerchant(sql.ref('merchant_no'))}`.execute(db),
    sql<Record<string, string>>`
      SELECT count(*) FILTER (WHERE status = ${sql.lit(PayoutStatusCode.Paid)}) AS paid,
             coalesce(sum(amount_cents) FILTER (WHERE status = ${sql.lit(PayoutStatusCode.Paid)}), 0) AS paid_cents,
             count(*) FILTER (WHERE status = ${sql.lit(PayoutStatusCode.Processing)}) AS processing,
             count(*) FILTER (WHERE status = ${sql.lit(PayoutStatusCode.Failed)}) AS failed
        FROM payouts WHERE created_at >= ${since} ${ofMerchant(sql.ref('merchant_no'))}`.execute(db),
    sql<Record<string, string>>`
      SELECT count(*) FILTER (WHERE j.status = ${sql.lit(JobStatus.Done)}) AS delivered,
             count(*) FILTER (WHERE j.status = ${sql.lit(JobStatus.Pending)} AND j.attempts > 0) AS retrying,
             count(*) FILTER (WHERE j.status = ${sql.lit(JobStatus.Pending)} AND j.attempts = 0) AS waiting,
             count(*) FILTER (WHERE j.status = ${sql.lit(JobStatus.Failed)}) AS failed
        FROM jobs j
        LEFT JOIN orders o ON o.plat_form_trade_no = j.order_no
        LEFT JOIN payouts p ON p.id = j.payout_id
       WHERE j.kind = ${sql.lit(JobKind.Notify)} AND j.created_at >= ${since} ${ofMerchant(sql`coalesce(o.merchant_no, p.merchant_no)`)}`.execute(db),
  ]);
  const disputes = await disputeOverview(db, scope, since);
  const o = orders.rows[0]!;
  const r = refunds.rows[0]!;
  const p = payouts.rows[0]!;
  const j = notifications.rows[0]!;
  return {
    since,
    bucket,
    orders: { count: n(o.count), paid: n(o.paid), paidCents: signedCents(n(o.paid_cents)), failed: n(o.failed) },
    series: series.rows.map((row) => ({ label: row.label, paid: n(row.paid), paidCents: signedCents(n(row.paid_cents)) })),
    acquirers: acquirers.rows.map((row) => ({ acquirer: row.acquirer, approved: n(row.approved), declined: n(row.declined), errors: n(row.errors) })),
    declines: declines.rows.map((row) => ({ reason: row.reason, count: n(row.count) })),
    refunds: { succeeded: n(r.succeeded), succeededCents: signedCents(n(r.succeeded_cents)), processing: n(r.processing), failed: n(r.failed) },
    payouts: { paid: n(p.paid), paidCents: signedCents(n(p.paid_cents)), processing: n(p.processing), failed: n(p.failed) },
    disputes,
    notifications: { delivered: n(j.delivered), retrying: n(j.retrying), waiting: n(j.waiting), failed: n(j.failed) },
  };
}
