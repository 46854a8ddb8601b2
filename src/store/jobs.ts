import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, JobsTable } from '../db/schema.ts';
import { JobKind, JobStatus } from '../domain/job-status.ts';

export type JobRow = Selectable<JobsTable>;

/** 32 hex characters; for a notification this is its `notifyId`. */
export const newJobId = () => randomBytes(16).toString('hex');

export interface NewJob {
  kind: JobKind;
  orderNo: string;
  refundNo?: string;
}

/** Queues jobs inside the caller's transaction, so they exist exactly when the state change does. */
export async function enqueueJobs(trx: Transaction<Database> | Kysely<Database>, jobs: NewJob[]) {
  if (jobs.length === 0) return;
  await trx
    .insertInto('jobs')
    .values(jobs.map((job) => ({ id: newJobId(), kind: job.kind, order_no: job.orderNo, refund_no: job.refundNo ?? null })))
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

/**
 * Queues the latest notification of an order again, with a fresh schedule; its attempts so far
 * stay recorded. Answers the notifyId, or undefined when the order has none yet.
 */
export async function requeueLatestNotification(db: Kysely<Database>, orderNo: string): Promise<string | undefined> {
  const requeued = await sql<{ id: string }>`
    UPDATE jobs SET status = ${sql.lit(JobStatus.Pending)}, attempts = 0, run_at = now(), lease = NULL, leased_until = NULL, finished_at = NULL
     WHERE id = (SELECT id FROM jobs WHERE order_no = ${orderNo} AND kind = ${sql.lit(JobKind.Notify)} ORDER BY created_at DESC, id DESC LIMIT 1)
    RETURNING id`.execute(db);
  return requeued.rows[0]?.id;
}
