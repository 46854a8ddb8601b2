import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, DisputeEventsTable, DisputesTable } from '../db/schema.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import { DisputeStatus, nextDisputeState, type DisputeEvent, type DisputeTransition } from '../domain/dispute.ts';
import { newDisputeNo } from '../domain/ids.ts';
import { cents } from '../domain/money.ts';
import { JobKind } from '../domain/job-status.ts';
import type { ConsoleScope } from '../domain/console-scope.ts';
import { postDisputeHold, postDisputeLoss, postDisputeRelease } from './ledger/ledger-postings.ts';
import { enqueueJobs } from './jobs.ts';
import { createdAtOfOrder } from './order-keys.ts';

export type DisputeRow = Selectable<DisputesTable>;
export type DisputeEventRow = Selectable<DisputeEventsTable>;

/** The approved attempt a processor's payment id names, on that processor: what a dispute is about. */
export const findApprovedAttemptByReference = (db: Kysely<Database>, processor: string, reference: string) =>
  db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('acquirer_reference', '=', reference)
    .where('acquirer', '=', processor)
    .where('status', '=', AttemptStatus.Approved)
    .executeTakeFirst();

export interface RecordedDisputeEvent {
  dispute: DisputeRow;
  transition: DisputeTransition;
  eventId: number;
}

/**
 * Records one matched dispute event in one transaction, under the order's lock (which orders it
 * against the order's refunds and settlement): the dispute (created by its first event), the
 * event row, the ledger postings its transition calls for, each at most once, and the merchant's
 * DISPUTE notification when the dispute opens or ends.
 */
export function recordDisputeEvent(db: Kysely<Database>, event: DisputeEvent, orderNo: string, now: Date): Promise<RecordedDisputeEvent> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['plat_form_trade_no', 'merchant_no', 'settled_at'])
      .where('plat_form_trade_no', '=', orderNo)
      .where('created_at', '=', createdAtOfOrder(orderNo))
      .forUpdate()
      .executeTakeFirstOrThrow();
    const existing = await trx
      .selectFrom('disputes')
      .selectAll()
      .where('processor', '=', event.processor)
      .where('processor_dispute_id', '=', event.processorDisputeId)
      .forUpdate()
      .executeTakeFirst();
    const transition = nextDisputeState(existing?.status ?? null, event.stage);
    const ends = existing?.status !== transition.status && transition.status !== DisputeStatus.Open;
    const fee = transition.movements.includes('loss')
      ? (await trx.selectFrom('merchants').select('dispute_fee_cents').where('merchant_no', '=', order.merchant_no).executeTakeFirstOrThrow()).dispute_fee_cents
      : null;
    const dispute = existing
      ? await trx
          .updateTable('disputes')
          .set({
            status: transition.status,
            closed_at: ends ? now : existing.closed_at,
            fee_cents: fee ?? existing.fee_cents,
            evidence_due_by: transition.status === DisputeStatus.Open && event.evidenceDueBy ? event.evidenceDueBy : existing.evidence_due_by,
          })
          .where('dispute_no', '=', existing.dispute_no)
          .where('status', '=', existing.status)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('disputes')
          .values({
            dispute_no: newDisputeNo(),
            processor: event.processor,
            processor_dispute_id: event.processorDisputeId,
            merchant_no: order.merchant_no,
            order_no: order.plat_form_trade_no,
            amount_cents: event.amount,
            currency: event.currency.toUpperCase(),
            reason: event.reason,
            evidence_due_by: event.evidenceDueBy ?? null,
            status: transition.status,
            fee_cents: fee,
            closed_at: ends ? now : null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    for (const movement of transition.movements) {
      if (movement === 'hold') await postDisputeHold(trx, dispute, order.settled_at !== null);
      else if (movement === 'release') await postDisputeRelease(trx, dispute);
      else await postDisputeLoss(trx, dispute, fee!);
    }
    const row = await trx
      .insertInto('dispute_events')
      .values({
        dispute_no: dispute.dispute_no,
        stage: event.stage,
        status_after: transition.status,
        moved: transition.movements.length > 0 ? transition.movements.join(',') : null,
        occurred_at: event.occurredAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (transition.notify) await enqueueJobs(trx, [{ kind: JobKind.Notify, orderNo: dispute.order_no, disputeEventId: row.id }]);
    return { dispute, transition, eventId: row.id };
  });
}

/** A dispute by our disputeNo, optionally only if it is the given merchant's. */
export function findDispute(db: Kysely<Database>, disputeNo: string, merchantNo?: string) {
  let query = db.selectFrom('disputes').selectAll().where('dispute_no', '=', disputeNo);
  if (merchantNo !== undefined) query = query.where('merchant_no', '=', merchantNo);
  return query.executeTakeFirst();
}

/** An order's disputes, oldest first. */
export const listDisputesOfOrder = (db: Kysely<Database>, orderNo: string) =>
  db.selectFrom('disputes').selectAll().where('order_no', '=', orderNo).orderBy('created_at').orderBy('dispute_no').execute();

/** The status of an order's latest dispute; null when it was never disputed (the query's `disputeStatus`). */
export async function latestDisputeStatus(db: Kysely<Database>, orderNo: string): Promise<DisputeStatus | null> {
  const row = await db.selectFrom('disputes').select('status').where('order_no', '=', orderNo).orderBy('created_at', 'desc').orderBy('dispute_no', 'desc').executeTakeFirst();
  return row?.status ?? null;
}

/** A dispute's events, in the order they came. */
export const listDisputeEvents = (db: Kysely<Database>, disputeNo: string) =>
  db.selectFrom('dispute_events').selectAll().where('dispute_no', '=', disputeNo).orderBy('id').execute();

/** What a DISPUTE notification tells: the event (its status after) and the dispute, with the order's trade number. */
export const findDisputeNotice = (db: Kysely<Database>, eventId: number) =>
  db
    .selectFrom('dispute_events as e')
    .innerJoin('disputes as d', 'd.dispute_no', 'e.dispute_no')
    .select(['e.status_after', 'd.dispute_no', 'd.order_no', 'd.merchant_no', 'd.amount_cents', 'd.currency', 'd.reason', 'd.evidence_due_by'])
    .where('e.id', '=', eventId)
    .executeTakeFirst();

export type DisputeNotice = NonNullable<Awaited<ReturnType<typeof findDisputeNotice>>>;

/**
 * Disputes, open first, then by evidence due date (the soonest first, unknown last), then newest:
 * the console's disputes page and `payrail dispute list`.
 */
export function listDisputes(db: Kysely<Database>, scope: ConsoleScope, options: { openOnly?: boolean; limit?: number } = {}) {
  let query = db
    .selectFrom('disputes as d')
    .innerJoin('order_keys as k', 'k.plat_form_trade_no', 'd.order_no')
    .selectAll('d')
    .select('k.trade_no');
  if (scope.kind === 'one-merchant') query = query.where('d.merchant_no', '=', scope.merchantNo);
  if (options.openOnly) query = query.where('d.status', '=', DisputeStatus.Open);
  return query
    .orderBy(sql`d.status = ${sql.lit(DisputeStatus.Open)}`, 'desc')
    .orderBy(sql`d.evidence_due_by`, sql`asc nulls last`)
    .orderBy('d.created_at', 'desc')
    .limit(options.limit ?? 500)
    .execute();
}

export type ListedDispute = Awaited<ReturnType<typeof listDisputes>>[number];

/** Whether an order has a dispute still open: a refund of it is refused meanwhile. */
export async function hasOpenDispute(trx: Transaction<Database>, orderNo: string): Promise<boolean> {
  const row = await trx.selectFrom('disputes').select('dispute_no').where('order_no', '=', orderNo).where('status', '=', DisputeStatus.Open).executeTakeFirst();
  return row !== undefined;
}

/** What lost disputes took of an order: no longer refundable. */
export async function lostDisputeCents(trx: Transaction<Database>, orderNo: string): Promise<number> {
  const row = await trx
    .selectFrom('disputes')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('cents'))
    .where('order_no', '=', orderNo)
    .where('status', '=', DisputeStatus.Lost)
    .executeTakeFirstOrThrow();
  return Number(row.cents);
}

/** The overview's disputes: open now (count and amount held), and won and lost since `since` (the win rate's parts). */
export async function disputeOverview(db: Kysely<Database>, scope: ConsoleScope, since: Date) {
  let query = db
    .selectFrom('disputes')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('status', '=', DisputeStatus.Open).as('open'),
      eb.fn.coalesce(eb.fn.sum<number>('amount_cents').filterWhere('status', '=', DisputeStatus.Open), eb.lit(0)).as('open_cents'),
      eb.fn.countAll<number>().filterWhere((w) => w.and([w('status', '=', DisputeStatus.Won), w('closed_at', '>=', since)])).as('won'),
      eb.fn.countAll<number>().filterWhere((w) => w.and([w('status', '=', DisputeStatus.Lost), w('closed_at', '>=', since)])).as('lost'),
    ]);
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  const row = await query.executeTakeFirstOrThrow();
  return { open: Number(row.open), openCents: cents(Number(row.open_cents)), won: Number(row.won), lost: Number(row.lost) };
}
