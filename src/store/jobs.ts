import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, JobsTable } from '../db/schema.ts';
import { JobKind, JobStatus } from '../domain/job-status.ts';
import type { ConsoleScope } from '../domain/console-scope.ts';

export type JobRow = Selectable<JobsTable>;

/** 32 hex characters; for a notification this is its `notifyId`. */
export const newJobId = () => randomBytes(16).toString('hex');

/**
 * A job is about an order (and maybe one of its refunds, or the dispute event a DISPUTE
 * notification tells), or about a payout. `runAt` delays it; `detail` is what it needs besides.
 */
export type NewJob =
  | { kind: JobKind; orderNo: string; refundNo?: string; disputeEventId?: number; detail?: string; runAt?: Date }
  | { kind: 'notify'; payoutId: string };

/** Queues jobs inside the caller's transaction, so they exist exactly when the state change does. */
export async function enqueueJobs(trx: Transaction<Database> | Kysely<Database>, jobs: NewJob[]) {
  if (jobs.length === 0) return;
  await trx
    .insertInto('jobs')
    .values(
      jobs.map((job) =>
        'payoutId' in job
          ? { id: newJobId(), kind: job.kind, order_no: null, refund_no: null, payout_id: job.payoutId }
          : {
              id: newJobId(),
              kind: job.kind,
              order_no: job.orderNo,
              refund_no: job.refundNo ?? null,
              dispute_event_id: job.disputeEventId ?? null,
              detail: job.detail ?? null,
              ...(job.runAt ? { run_at: job.runAt } : {}),
            },
      ),
    )
    .execute();
}

/**
 * Claims up to `limit` due jobs for this worker: a lease that other workers (in this process or
 * another node) skip until it runs out, so one attempt is never made twice at once.
 */
export async function claimDueJobs(db: Kysely<Database>, options: { limit: number; leaseMs: number }): Promise<JobRow[]> {
  const lease = newJobId();
  const claimed = await sql<JobRow>`
    UPDATE jobs
       SET lease = ${lease}, leased_until = now() + ${options.leaseMs} * interval '1 millisecond', attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM jobs
        WHERE status = ${sql.lit(JobStatus.Pending)} AND run_at <= now() AND (leased_until IS NULL OR leased_until < now())
        ORDER BY run_at
        LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return claimed.rows;
}

export type JobOutcome = { done: true } | { done: false; retryAt: Date | null; error: string };

/**
 * Records how a claimed job went, only if this worker still holds its lease (compare-and-set).
 * Answers false when the lease was lost, which the caller logs.
 */
export async function finishJob(db: Kysely<Database> | Transaction<Database>, job: JobRow, outcome: JobOutcome, now: Date): Promise<boolean> {
  const base = db.updateTable('jobs').where('id', '=', job.id).where('lease', '=', job.lease);
  const finished = outcome.done
    ? base.set({ status: JobStatus.Done, lease: null, leased_until: null, finished_at: now, last_error: null })
    : outcome.retryAt
      ? base.set({ run_at: outcome.retryAt, lease: null, leased_until: null, last_error: outcome.error })
      : base.set({ status: JobStatus.Failed, lease: null, leased_until: null, finished_at: now, last_error: outcome.error });
  const result = await finished.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Back in the queue with a fresh schedule: what a resend does to a notification job; its attempts so far stay recorded. */
const REQUEUE = sql`status = ${sql.lit(JobStatus.Pending)}, attempts = 0, run_at = now(), lease = NULL, leased_until = NULL, finished_at = NULL`;

/** Queues one notification again (the console's resend of a row); undefined when there is no such notification. */
export async function requeueNotification(db: Kysely<Database>, notifyId: string): Promise<string | undefined> {
  const requeued = await sql<{ id: string }>`
    UPDATE jobs SET ${REQUEUE} WHERE id = ${notifyId} AND kind = ${sql.lit(JobKind.Notify)} RETURNING id`.execute(db);
  return requeued.rows[0]?.id;
}

/**
 * Queues the latest notification of an order again, with a fresh schedule; its attempts so far
 * stay recorded. Answers the notifyId, or undefined when the order has none yet (or is outside `scope`).
 */
export async function requeueLatestNotification(db: Kysely<Database>, scope: ConsoleScope, orderNo: string): Promise<string | undefined> {
  const inScope = scope.kind === 'one-merchant' ? sql`AND order_no IN (SELECT plat_form_trade_no FROM orders WHERE merchant_no = ${scope.merchantNo})` : sql``;
  const requeued = await sql<{ id: string }>`
    UPDATE jobs SET ${REQUEUE}
     WHERE id = (SELECT id FROM jobs WHERE order_no = ${orderNo} AND kind = ${sql.lit(JobKind.Notify)} ${inScope} ORDER BY created_at DESC, id DESC LIMIT 1)
    RETURNING id`.execute(db);
  return requeued.rows[0]?.id;
}

/** A point in the stream of notifications: the queue time in microseconds since the epoch, and the job id. */
export interface NotificationCursor {
  micros: string;
  id: string;
}

/** Where a listener that starts now begins: notifications queued from now on. */
export async function notificationCursorNow(db: Kysely<Database>): Promise<NotificationCursor> {
  const { rows } = await sql<{ micros: string }>`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text AS micros`.execute(db);
  return { micros: rows[0]!.micros, id: '' };
}

/**
 * The merchant's notification jobs (of its orders, refunds and payouts) queued after `cursor`, oldest first, at most `limit`, each
 * with its own cursor. A resend puts an existing job back and is not a new one here.
 */
export async function notificationsAfter(db: Kysely<Database>, merchantNo: string, cursor: NotificationCursor, limit: number) {
  const { rows } = await sql<JobRow & { micros: string }>`
    SELECT j.*, floor(extract(epoch FROM j.created_at) * 1000000)::bigint::text AS micros
    FROM jobs j LEFT JOIN order_keys o ON o.plat_form_trade_no = j.order_no LEFT JOIN payouts p ON p.id = j.payout_id
    WHERE j.kind = ${sql.lit(JobKind.Notify)} AND coalesce(o.merchant_no, p.merchant_no) = ${merchantNo}
      AND j.created_at >= to_timestamp(${cursor.micros}::bigint / 1000000.0) - interval '1 second'
      AND (floor(extract(epoch FROM j.created_at) * 1000000)::bigint, j.id) > (${cursor.micros}::bigint, ${cursor.id})
    ORDER BY j.created_at, j.id
    LIMIT ${limit}`.execute(db);
  return rows.map(({ micros, ...job }) => ({ job: job as JobRow, cursor: { micros, id: job.id } }));
}

/** As `requeueLatestNotification`, for a payout's PAYOUT notification. */
export async function requeuePayoutNotification(db: Kysely<Database>, payoutId: string): Promise<string | undefined> {
  const requeued = await sql<{ id: string }>`
    UPDATE jobs SET ${REQUEUE}
     WHERE id = (SELECT id FROM jobs WHERE payout_id = ${payoutId} AND kind = ${sql.lit(JobKind.Notify)} ORDER BY created_at DESC, id DESC LIMIT 1)
    RETURNING id`.execute(db);
  return requeued.rows[0]?.id;
}
