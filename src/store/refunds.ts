import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, RefundsTable } from '../db/schema.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { cents, formatAmount, signedCents, type Cents } from '../domain/money.ts';
import { JobKind } from '../domain/job-status.ts';
import { OrderStatus } from '../domain/order-status.ts';
import { RefundMove, RefundStatus } from '../domain/refund-status.ts';
import { enqueueJobs, type NewJob } from './jobs.ts';
import { postRefund } from './ledger/ledger-postings.ts';
import { spendableCents } from './ledger/ledger-balances.ts';
import { createdAtOfOrder } from './order-keys.ts';
import { hasOpenDispute, lostDisputeCents } from './disputes.ts';

export type RefundRow = Selectable<RefundsTable>;

export interface NewRefund {
  merchantNo: string;
  orderNo: string;
  refundNo: string;
  amountCents: Cents;
  reason: string | null;
  requestHash: string;
  checkAfter: Date;
}

/**
 * Records a refund request, or answers the existing one for a refundNo sent again with the same
 * fields. With the order row locked: only a paid order without an open dispute, and never more
 * than what is refundable (paid minus every refund that has not failed and every lost dispute).
 */
export async function createRefund(db: Kysely<Database>, refund: NewRefund): Promise<{ refund: RefundRow; created: boolean }> {
  try {
    return await insertRefund(db, refund);
  } catch (error) {
    // The same refundNo sent at the same moment for another order: its twin committed first.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    const existing = await findRefund(db, refund.merchantNo, refund.refundNo);
    if (!existing) throw error;
    if (existing.request_hash !== refund.requestHash) {
      throw new PayrailError(BusinessCode.DuplicateReference, `refundNo ${refund.refundNo} was already used with different parameters`);
    }
    return { refund: existing, created: false };
  }
}

const UNIQUE_VIOLATION = '23505';

/** The creation time of a refund's order: picks the month partition of `orders` (store/order-keys.ts). */
const createdAtOfRefundedOrder = (refundId: string) =>
  sql<Date>`(SELECT k.created_at FROM refunds r JOIN order_keys k ON k.plat_form_trade_no = r.order_no WHERE r.id = ${refundId})`;

function insertRefund(db: Kysely<Database>, refund: NewRefund): Promise<{ refund: RefundRow; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .selectAll()
      .where('plat_form_trade_no', '=', refund.orderNo)
      .where('created_at', '=', createdAtOfOrder(refund.orderNo))
      .forUpdate()
      .executeTakeFirstOrThrow();
    const existing = await trx.selectFrom('refunds').selectAll().where('merchant_no', '=', refund.merchantNo).where('refund_no', '=', refund.refundNo).executeTakeFirst();
    if (existing) {
      if (existing.request_hash !== refund.requestHash) {
        throw new PayrailError(BusinessCode.DuplicateReference, `refundNo ${refund.refundNo} was already used with different parameters`);
      }
      return { refund: existing, created: false };
    }
    if (order.status !== OrderStatus.Paid) {
      throw new PayrailError(BusinessCode.StateForbidsOperation, `order ${order.trade_no} is not paid, so it cannot be refunded`);
    }
    const committed = await sql<{ cents: string | number }>`
      SELECT coalesce(sum(amount_cents), 0)::bigint AS cents FROM refunds WHERE order_no = ${order.plat_form_trade_no} AND status <> ${sql.lit(RefundStatus.Failed)}`.execute(trx);
    if (await hasOpenDispute(trx, order.plat_form_trade_no)) {
      throw new PayrailError(BusinessCode.RefundExceedsRefundable, `order ${order.trade_no} has an open dispute: nothing is refundable until it ends`);
    }
    // What a lost dispute took went back to the cardholder already.
    const lost = await lostDisputeCents(trx, order.plat_form_trade_no);
    const refundable = signedCents(order.amount_cents - Number(committed.rows[0]?.cents ?? 0) - lost);
    if (refund.amountCents > refundable) {
      throw new PayrailError(BusinessCode.RefundExceedsRefundable, `amount exceeds the refundable ${formatAmount(refundable)}`);
    }
    if (order.settled_at !== null) await checkAvailableCovers(trx, refund.merchantNo, refund.amountCents);
    const row = await trx
      .insertInto('refunds')
      .values({
        id: `rf_${randomBytes(12).toString('hex')}`,
        merchant_no: refund.merchantNo,
        refund_no: refund.refundNo,
        order_no: refund.orderNo,
        request_hash: refund.requestHash,
        amount_cents: refund.amountCents,
        reason: refund.reason,
        check_after: refund.checkAfter,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('order_events').values({ order_no: refund.orderNo, type: 'refund_requested', detail: JSON.stringify({ refund: row.id, amountCents: row.amount_cents }) }).execute();
    return { refund: row, created: true };
  });
}

/**
 * A refund of a settled payment is taken from the available balance, which payouts may have
 * emptied: it must fit in what is available less other refunds in flight. The merchant's lock
 * orders this against payouts (store/payouts.ts), so the two can never overdraw together.
 */
async function checkAvailableCovers(trx: Transaction<Database>, merchantNo: string, amountCents: number) {
  await trx.selectFrom('merchants').select('merchant_no').where('merchant_no', '=', merchantNo).forUpdate().executeTakeFirstOrThrow();
  const spendable = await spendableCents(trx, merchantNo);
  if (amountCents > spendable) {
    throw new PayrailError(BusinessCode.RefundExceedsRefundable, `amount exceeds the available balance ${formatAmount(signedCents(Math.max(0, spendable)))} it would be taken from`);
  }
}

export type RefundOutcome = { status: 'succeeded'; reference: string } | { status: 'failed'; reason: string };

/**
 * Records how a refund ended (compare-and-set from PROCESSING), queuing the merchant's REFUND
 * notification and, on success, the customer's receipt, in the same transaction.
 */
export async function recordRefundOutcome(db: Kysely<Database>, refundId: string, outcome: RefundOutcome, now: Date): Promise<RefundRow> {
  return db.transaction().execute(async (trx) => {
    // The order's lock orders this against its settlement, which decides the account debited.
    const order = await trx
      .selectFrom('orders')
      .select('settled_at')
      .where('plat_form_trade_no', '=', trx.selectFrom('refunds').select('order_no').where('id', '=', refundId))
      .where('created_at', '=', createdAtOfRefundedOrder(refundId))
      .forUpdate()
      .executeTakeFirstOrThrow();
    const move = outcome.status === 'succeeded' ? RefundMove.succeed : RefundMove.fail;
    const to = outcome.status === 'succeeded' ? RefundMove.succeed.to : RefundMove.fail.to(outcome.reason);
    const ended = await trx
      .updateTable('refunds')
      .set({
        status: to.status,
        status_desc: to.desc,
        ...(outcome.status === 'succeeded' ? { acquirer_reference: outcome.reference } : {}),
        ended_at: now,
      })
      .where('id', '=', refundId)
      .where('status', '=', move.from.status)
      .returningAll()
      .executeTakeFirst();
    if (!ended) return trx.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
    await trx.insertInto('order_events').values({ order_no: ended.order_no, type: `refund_${outcome.status}`, detail: JSON.stringify({ refund: ended.id }) }).execute();
    if (outcome.status === 'succeeded') await postRefund(trx, ended, order.settled_at !== null);
    const jobs: NewJob[] = [{ kind: JobKind.Notify, orderNo: ended.order_no, refundNo: ended.refund_no }];
    if (outcome.status === 'succeeded') jobs.push({ kind: JobKind.Email, orderNo: ended.order_no, refundNo: ended.refund_no });
    await enqueueJobs(trx, jobs);
    return ended;
  });
}

export const findRefund = (db: Kysely<Database>, merchantNo: string, refundNo: string) =>
  db.selectFrom('refunds').selectAll().where('merchant_no', '=', merchantNo).where('refund_no', '=', refundNo).executeTakeFirst();

/** Refunded so far: the sum of successful refunds, derived from the rows. */
export async function refundedCents(db: Kysely<Database>, orderNo: string): Promise<Cents> {
  const result = await sql<{ cents: number }>`
    SELECT coalesce(sum(amount_cents), 0)::bigint AS cents FROM refunds WHERE order_no = ${orderNo} AND status = ${sql.lit(RefundStatus.Succeeded)}`.execute(db);
  return cents(Number(result.rows[0]?.cents ?? 0));
}

/** Refunds still PROCESSING whose time to be checked has come; the claim pushes the next check. */
export async function claimRefundsToReconcile(db: Kysely<Database>, limit: number, leaseMs: number): Promise<RefundRow[]> {
  const claimed = await sql<RefundRow>`
    UPDATE refunds SET check_after = now() + ${leaseMs} * interval '1 millisecond'
     WHERE id IN (SELECT id FROM refunds WHERE status = ${sql.lit(RefundStatus.Processing)} AND check_after <= now() ORDER BY check_after LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return claimed.rows;
}

/** The approved attempt of a paid order, with the order's currency: what a refund gives back from. */
export const findSaleOf = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('payment_attempts')
    .innerJoin('orders', (join) =>
      join.onRef('orders.plat_form_trade_no', '=', 'payment_attempts.order_no').onRef('orders.created_at', '=', 'payment_attempts.order_created_at'))
    .select(['payment_attempts.acquirer', 'payment_attempts.acquirer_reference', 'orders.currency'])
    .where('payment_attempts.order_no', '=', orderNo)
    .where('payment_attempts.order_created_at', '=', createdAtOfOrder(orderNo))
    .where('payment_attempts.status', '=', 'approved')
    .executeTakeFirstOrThrow();

export const findRefundById = (db: Kysely<Database>, refundId: string) =>
  db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
