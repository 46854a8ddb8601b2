import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { scopedMerchant, type ConsoleScope } from '../../domain/console-scope.ts';
import { JobKind, JobStatus, type JobStatus as JobStatusValue } from '../../domain/job-status.ts';

/** A notification the merchant has not acknowledged yet, with what its last try got back. */
export interface UnacknowledgedNotification {
  notifyId: string;
  kind: 'PAYMENT' | 'REFUND' | 'PAYOUT';
  merchantNo: string;
  tradeNo: string;
  /** The order's platFormTradeNo, or the payout's. */
  platFormTradeNo: string;
  refundNo: string | null;
  status: JobStatusValue;
  attempts: number;
  /** The next try, while the job is pending. */
  runAt: Date;
  createdAt: Date;
  lastError: string | null;
  lastAttempt: { at: Date; httpStatus: number | null; error: string | null; bodyExcerpt: string | null } | null;
}

type Row = {
  id: string; status: JobStatusValue; attempts: number; run_at: Date; created_at: Date; last_error: string | null; refund_no: string | null; payout_id: string | null;
  merchant_no: string; trade_no: string; plat_form_trade_no: string;
  attempted_at: Date | null; http_status: number | null; error: string | null; body_excerpt: string | null;
};

/** Which merchant a notification job is about, through its order or its payout. */
const JOB_MERCHANT = sql`coalesce(o.merchant_no, p.merchant_no)`;

/**
 * Every notification job not delivered yet (pending, retrying or given up), about orders and
 * payouts alike, newest first, `limit` at a time after the notifyId `after`; only those of
 * merchants `scope` may see. Served by the partial index `jobs_notify_unacknowledged`.
 */
export async function listUnacknowledged(db: Kysely<Database>, scope: ConsoleScope, page: { after?: string | undefined; limit: number }) {
  const only = scopedMerchant(scope);
  const { rows } = await sql<Row>`
    SELECT j.id, j.status, j.attempts, j.run_at, j.created_at, j.last_error, j.refund_no, j.payout_id,
           ${JOB_MERCHANT} AS merchant_no, coalesce(o.trade_no, p.trade_no) AS trade_no, coalesce(o.plat_form_trade_no, p.plat_form_trade_no) AS plat_form_trade_no,
           a.attempted_at, a.http_status, a.error, a.body_excerpt
      FROM jobs j
      LEFT JOIN orders o ON o.plat_form_trade_no = j.order_no
      LEFT JOIN payouts p ON p.id = j.payout_id
      LEFT JOIN LATERAL (SELECT attempted_at, http_status, error, body_excerpt FROM notification_attempts WHERE notify_id = j.id ORDER BY id DESC LIMIT 1) a ON true
     WHERE j.kind = ${sql.lit(JobKind.Notify)} AND j.status <> ${sql.lit(JobStatus.Done)}
       ${only === null ? sql`` : sql`AND ${JOB_MERCHANT} = ${only}`}
       ${page.after ? sql`AND (j.created_at, j.id) < (SELECT created_at, id FROM jobs WHERE id = ${page.after})` : sql``}
     ORDER BY j.created_at DESC, j.id DESC
     LIMIT ${page.limit + 1}`.execute(db);
  const notifications: UnacknowledgedNotification[] = rows.slice(0, page.limit).map((row) => ({
    notifyId: row.id,
    kind: row.payout_id ? 'PAYOUT' : row.refund_no ? 'REFUND' : 'PAYMENT',
    merchantNo: row.merchant_no,
    tradeNo: row.trade_no,
    platFormTradeNo: row.plat_form_trade_no,
    refundNo: row.refund_no,
    status: row.status,
    attempts: Number(row.attempts),
    runAt: row.run_at,
    createdAt: row.created_at,
    lastError: row.last_error,
    lastAttempt: row.attempted_at ? { at: row.attempted_at, httpStatus: row.http_status, error: row.error, bodyExcerpt: row.body_excerpt } : null,
  }));
  return rows.length > page.limit ? { notifications, next: notifications.at(-1)!.notifyId } : { notifications };
}

/** The merchant of a notification `scope` may see; undefined for one it may not, or none. */
export async function findScopedNotification(db: Kysely<Database>, scope: ConsoleScope, notifyId: string): Promise<{ notifyId: string; merchantNo: string } | undefined> {
  const only = scopedMerchant(scope);
  const { rows } = await sql<{ id: string; merchant_no: string }>`
    SELECT j.id, ${JOB_MERCHANT} AS merchant_no
      FROM jobs j LEFT JOIN orders o ON o.plat_form_trade_no = j.order_no LEFT JOIN payouts p ON p.id = j.payout_id
     WHERE j.id = ${notifyId} AND j.kind = ${sql.lit(JobKind.Notify)} ${only === null ? sql`` : sql`AND ${JOB_MERCHANT} = ${only}`}`.execute(db);
  const row = rows[0];
  return row ? { notifyId: row.id, merchantNo: row.merchant_no } : undefined;
}
