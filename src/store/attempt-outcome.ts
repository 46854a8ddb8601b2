import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AttemptStatus, canMoveAttempt, orderAfterFailedAttempt } from '../domain/attempt-status.ts';
import { releasesCardTestingSlots } from '../domain/card-testing.ts';
import { JobKind } from '../domain/job-status.ts';
import { OrderMove, OrderStatus } from '../domain/order-status.ts';
import { paymentPosting } from '../domain/ledger-postings.ts';
import type { RedirectForm, StoredCardGrant } from '../acquirers/acquirer.ts';
import { keepSavedCard } from './saved-cards.ts';
import type { Cents } from '../domain/money.ts';
import type { DisputeReason } from '../domain/dispute.ts';
import { findAttempt, type AttemptRow } from './attempts.ts';
import { releaseSlotsCte } from './card-testing-slots.ts';
import { enqueueJobs, orderJobsCte } from './jobs.ts';
import { paymentPostingCtes } from './ledger/ledger-postings.ts';
import { findOrderByNo, type OrderRow } from './orders.ts';
import { createdAtOfOrder } from './order-keys.ts';
import { fixedText } from './compiled-once.ts';
import { ATTEMPT_COLUMNS, ORDER_COLUMNS, columnList } from './row-columns.ts';

/** How long after a payment with a dispute card the simulator opens its dispute. */
export const SIMULATOR_DISPUTE_DELAY_MS = 3_000;

export type AttemptOutcome =
  /**
   * `storedCard`: the card the acquirer saved with the sale, kept when the attempt asked to save it.
   * `disputeAfter`: the simulator will open a dispute of this reason (a delayed job, queued with the payment).
   */
  | { status: typeof AttemptStatus.Approved; reference: string; storedCard?: StoredCardGrant | undefined; disputeAfter?: DisputeReason }
  | { status: typeof AttemptStatus.Declined | typeof AttemptStatus.Error; reason: string }
  | { status: typeof AttemptStatus.Challenge; challengeId: string; redirect?: RedirectForm | undefined }
  | { status: typeof AttemptStatus.Unknown; detail: string };

export interface RecordResult {
  /** False when someone else (the reconciler, another tab) settled the attempt first. */
  recorded: boolean;
  attempt: AttemptRow;
  order: OrderRow;
}

/** What the settled attempt's statement also reads of its order and merchant, for the order's own move. */
interface SettledAttempt extends AttemptRow {
  order_failed_attempts: number | null;
  order_amount_cents: Cents | null;
  order_merchant_no: string | null;
  merchant_fee_bps: number | null;
}

/**
 * Records what became of an attempt, and what that means for its order, in one transaction of
 * two statements (data-modifying CTEs): the attempt moves only from the status the caller saw
 * (compare-and-set), with its event and, unless it was declined or is still in flight, its
 * card-testing slots given back; then approved → the order paid, its ledger posting and entries,
 * its notification and receipt jobs; declined or error → the order payable again, or FAILED (and
 * notified) at the attempt limit, its failed attempts counted on the order.
 */
export async function recordOutcome(
  db: Kysely<Database>,
  attemptId: string,
  from: AttemptStatus,
  outcome: AttemptOutcome,
  options: {
    maxAttempts: number;
    now: Date;
    recheckAfter: Date;
    /** Seals a saved card's acquirer token before it is kept (the master key's seal). */
    seal?: (acquirerToken: string) => string;
  },
): Promise<RecordResult> {
  if (!canMoveAttempt(from, outcome.status)) throw new Error(`attempt ${attemptId} cannot move from ${from} to ${outcome.status}`);
  return db.transaction().execute(async (trx) => {
    const attempt = await settleAttemptRow(trx, attemptId, from, outcome, options);
    if (!attempt) {
      const current = await findAttempt(trx, attemptId);
      if (!current) throw new Error(`attempt ${attemptId} not found`);
      return { recorded: false, attempt: current, order: await orderOf(trx, current.order_no) };
    }
    const { order_failed_attempts: failedBefore, order_amount_cents: amount, order_merchant_no: merchantNo, merchant_fee_bps: feeBps, ...row } = attempt;
    const orderNo = row.order_no;
    if (outcome.status === AttemptStatus.Approved) {
      if (amount === null || merchantNo === null || feeBps === null) throw new Error(`approved attempt ${row.id} has no order ${orderNo}`);
      const { from, to } = OrderMove.pay;
      const cardToken = await cardTokenOfApproval(trx, row, outcome.storedCard, options.seal);
      const { rows } = await fixedText(trx, sql<OrderRow>`
        WITH paid AS (
          UPDATE orders SET status = ${to.status}, status_desc = ${to.desc}, paid_at = ${options.now}, ended_at = ${options.now},
                 card_brand = ${row.card_brand}, card_last4 = ${row.card_last4}, card_token = COALESCE(${cardToken}, card_token)
           WHERE plat_form_trade_no = ${orderNo} AND created_at = ${createdAtOfOrder(orderNo)} AND status = ${from.status}
          RETURNING ${columnList(ORDER_COLUMNS)}),
        ${paymentPostingCtes(paymentPosting({ merchant_no: merchantNo, plat_form_trade_no: orderNo, amount_cents: amount }, feeBps))},
        ${orderJobsCte('paid', [JobKind.Notify, JobKind.Email])}
        SELECT ${columnList(ORDER_COLUMNS)} FROM paid`);
      // An attempt can only be in flight while its order is PROCESSING, which nothing else moves.
      if (!rows[0]) throw new Error(`approved attempt ${row.id} found order ${orderNo} no longer open`);
      if (outcome.disputeAfter) {
        // Only the simulator's dispute cards: one statement more, for a test of disputes.
        await enqueueJobs(trx, [{ kind: JobKind.SimulatorDispute, orderNo, detail: outcome.disputeAfter, runAt: new Date(options.now.getTime() + SIMULATOR_DISPUTE_DELAY_MS) }]);
      }
      return { recorded: true, attempt: row, order: rows[0] };
    }
    if (outcome.status === AttemptStatus.Declined || outcome.status === AttemptStatus.Error) {
      const failedAttempts = (failedBefore ?? 0) + 1;
      // A merchant-initiated charge has no customer to try another card: one decline ends it.
      const next = orderAfterFailedAttempt(failedAttempts, row.merchant_initiated ? 1 : options.maxAttempts, outcome.reason);
      const stillOpen = next.status === OrderStatus.Open;
      const { rows } = await fixedText(trx, sql<OrderRow>`
        WITH ended AS (
          UPDATE orders SET status = ${next.status}, status_desc = ${next.desc}, ended_at = ${stillOpen ? null : options.now}, failed_attempts = ${failedAttempts}
           WHERE plat_form_trade_no = ${orderNo} AND created_at = ${createdAtOfOrder(orderNo)} AND status = ${OrderMove.endAttempt.from.status}
          RETURNING ${columnList(ORDER_COLUMNS)}),
        ${orderJobsCte('ended', stillOpen ? [] : [JobKind.Notify])}
        SELECT ${columnList(ORDER_COLUMNS)} FROM ended`);
      if (!rows[0]) throw new Error(`failed attempt ${row.id} found order ${orderNo} no longer in processing`);
      return { recorded: true, attempt: row, order: rows[0] };
    }
    return { recorded: true, attempt: row, order: await orderOf(trx, orderNo) };
  });
}

/** The attempt's compare-and-set, its event and its slots' release: one statement. Undefined when it had moved. */
async function settleAttemptRow(
  trx: Transaction<Database>,
  attemptId: string,
  from: AttemptStatus,
  outcome: AttemptOutcome,
  options: { now: Date; recheckAfter: Date },
): Promise<SettledAttempt | undefined> {
  const reason = 'reason' in outcome ? outcome.reason : outcome.status === AttemptStatus.Unknown ? outcome.detail.slice(0, 200) : null;
  const challenge =
    outcome.status === AttemptStatus.Challenge
      ? sql`, challenge_id = ${outcome.challengeId}, challenge_redirect = ${outcome.redirect ? JSON.stringify(outcome.redirect) : null}::jsonb`
      : sql``;
  const release = releasesCardTestingSlots(outcome.status) ? sql`${releaseSlotsCte()},` : sql``;
  // Its text is fixed per outcome: prepared (compiled-once.ts, fixedText), as the outcome's other statement.
  const { rows } = await fixedText(trx, sql<SettledAttempt>`
    WITH attempt AS (
      UPDATE payment_attempts
         SET status = ${outcome.status}, reason = ${reason}, acquirer_reference = ${outcome.status === AttemptStatus.Approved ? outcome.reference : null},
             check_after = ${options.recheckAfter}, updated_at = ${options.now} ${challenge}
       WHERE id = ${attemptId} AND status = ${from}
      RETURNING ${columnList(ATTEMPT_COLUMNS)}),
    ${release}
    event AS (
      INSERT INTO order_events (order_no, type, detail)
      SELECT order_no, ${`attempt_${outcome.status}`}, ${JSON.stringify({ attempt: attemptId, reason })}::jsonb FROM attempt)
    SELECT ${columnList(ATTEMPT_COLUMNS, 'attempt')}, o.failed_attempts AS order_failed_attempts, o.amount_cents AS order_amount_cents, o.merchant_no AS order_merchant_no, m.fee_bps AS merchant_fee_bps
      FROM attempt
      LEFT JOIN orders o ON o.plat_form_trade_no = attempt.order_no AND o.created_at = attempt.order_created_at
      LEFT JOIN merchants m ON m.merchant_no = o.merchant_no`);
  return rows[0];
}

/**
 * The saved card an approved attempt leaves on its order: the one it paid with, or the one it
 * saved (kept here, in the transaction that pays the order, so the notification carries it).
 */
async function cardTokenOfApproval(
  trx: Transaction<Database>,
  attempt: AttemptRow,
  storedCard: StoredCardGrant | undefined,
  seal: ((acquirerToken: string) => string) | undefined,
): Promise<string | null> {
  if (attempt.card_token) return attempt.card_token;
  if (!attempt.save_card || !storedCard || !seal) return null;
  const order = await trx.selectFrom('orders').select(['merchant_no', 'customer_id']).where('plat_form_trade_no', '=', attempt.order_no).where('created_at', '=', createdAtOfOrder(attempt.order_no)).executeTakeFirst();
  if (!order?.customer_id) return null;
  return keepSavedCard(trx, {
    merchantNo: order.merchant_no,
    customerId: order.customer_id,
    acquirer: attempt.acquirer ?? '',
    acquirerTokenSealed: seal(storedCard.token),
    brand: attempt.card_brand,
    bin: attempt.card_bin,
    last4: attempt.card_last4,
    fingerprint: attempt.card_fingerprint,
    expiryMonth: storedCard.expiryMonth,
    expiryYear: storedCard.expiryYear,
    orderNo: attempt.order_no,
  });
}

async function orderOf(db: Kysely<Database> | Transaction<Database>, orderNo: string): Promise<OrderRow> {
  const order = await findOrderByNo(db, orderNo);
  if (!order) throw new Error(`order ${orderNo} not found`);
  return order;
}
