import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AttemptStatus, attemptLimit, canMoveAttempt, failedAttemptMove } from '../domain/attempt-status.ts';
import { releasesCardTestingSlots } from '../domain/card-testing.ts';
import { JobKind } from '../domain/job-status.ts';
import { OrderMove } from '../domain/order-status.ts';
import { MAX_DETAIL_CODE_POINTS, storableText } from '../domain/outcome-text.ts';
import { PAYMENT_ENTRY_TERMS, type PostingKind } from '../domain/ledger-postings.ts';
import type { RedirectForm, StoredCardGrant } from '../acquirers/acquirer.ts';
import { keepSavedCard } from './saved-cards.ts';
import type { DisputeReason } from '../domain/dispute.ts';
import { findAttempt, type AttemptRow } from './attempts.ts';
import { releaseSlotsCte } from './card-testing-slots.ts';
import { newJobId } from './jobs.ts';
import { feeOfSql } from './ledger/ledger-postings.ts';
import { findOrderByNo, type OrderRow } from './orders.ts';
import { createdAtOfOrder } from './order-keys.ts';
import { fixedText } from './compiled-once.ts';
import { ATTEMPT_COLUMNS, ATTEMPT_OUT, ATTEMPT_RETURNING, ORDER_COLUMNS, columnList } from './row-columns.ts';

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

interface RecordOptions {
  maxAttempts: number;
  now: Date;
  recheckAfter: Date;
  /** Seals a saved card's acquirer token before it is kept (the master key's seal). */
  seal?: (acquirerToken: string) => string;
}

/**
 * Records what became of an attempt, and what that means for its order, in ONE statement
 * (data-modifying CTEs; a statement is atomic without BEGIN/COMMIT, so it is one round trip):
 * the attempt moves only from the status the caller saw (compare-and-set), with its event and,
 * unless it was declined or is still in flight, its card-testing slots given back; then, only
 * when that compare-and-set matched: approved → the order paid, its ledger posting and entries,
 * its notification job and (when the order has an email) its receipt job; declined or error →
 * the order payable again, or FAILED (and notified) at the attempt limit, its failed attempts
 * counted on the order; challenge or unknown → the attempt only.
 *
 * An approval that saves a card (rare: the customer ticked "save this card") keeps the card in a
 * transaction around that statement, so the order is paid with the card's token or not at all.
 */
export async function recordOutcome(db: Kysely<Database>, attemptId: string, from: AttemptStatus, outcome: AttemptOutcome, options: RecordOptions): Promise<RecordResult> {
  if (!canMoveAttempt(from, outcome.status)) throw new Error(`attempt ${attemptId} cannot move from ${from} to ${outcome.status}`);
  const savesCard = outcome.status === AttemptStatus.Approved && outcome.storedCard !== undefined && options.seal !== undefined;
  if (!savesCard) return (await settleInOneStatement(db, attemptId, from, outcome, options)) ?? notRecorded(db, attemptId);
  return db.transaction().execute(async (trx) => {
    const settled = await settleInOneStatement(trx, attemptId, from, outcome, options);
    if (!settled) return notRecorded(trx, attemptId);
    if (outcome.status !== AttemptStatus.Approved || !outcome.storedCard || !options.seal) return settled;
    const cardToken = await keptCardOfApproval(trx, settled, outcome.storedCard, options.seal);
    if (!cardToken) return settled;
    const { rows } = await sql<OrderRow>`
      UPDATE orders SET card_token = ${cardToken}
       WHERE plat_form_trade_no = ${settled.order.plat_form_trade_no} AND created_at = ${createdAtOfOrder(settled.order.plat_form_trade_no)}
      RETURNING ${orderReturning('orders')}`.execute(trx);
    return { ...settled, order: rows[0]! };
  });
}

/** The compare-and-set did not match: where the attempt and its order stand now. */
async function notRecorded(db: Kysely<Database> | Transaction<Database>, attemptId: string): Promise<RecordResult> {
  const current = await findAttempt(db, attemptId);
  if (!current) throw new Error(`attempt ${attemptId} not found`);
  const order = await findOrderByNo(db, current.order_no);
  if (!order) throw new Error(`order ${current.order_no} not found`);
  return { recorded: false, attempt: current, order };
}

async function settleInOneStatement(
  db: Kysely<Database> | Transaction<Database>,
  attemptId: string,
  from: AttemptStatus,
  outcome: AttemptOutcome,
  options: RecordOptions,
): Promise<RecordResult | undefined> {
  let rows: Record<string, unknown>[];
  try {
    // Its text is fixed per outcome: prepared (compiled-once.ts, fixedText).
    ({ rows } = await fixedText(db, outcomeStatement(attemptId, from, outcome, options)));
  } catch (error) {
    if (error instanceof Error && error.message.includes(ORDER_DID_NOT_MOVE)) throw new Error(`attempt ${attemptId} found its order no longer open; nothing recorded`);
    throw error;
  }
  if (!rows[0]) return undefined;
  const { attempt, order } = splitRow(rows[0]);
  if (!order) throw new Error(`attempt ${attemptId} has no order ${attempt.order_no}`);
  return { recorded: true, attempt, order };
}

/** The statement for the outcome: its text depends only on the outcome's status (fixed per shape). */
function outcomeStatement(attemptId: string, from: AttemptStatus, outcome: AttemptOutcome, options: RecordOptions): RawBuilder<Record<string, unknown>> {
  const start = attemptCtes(attemptId, from, outcome, options);
  switch (outcome.status) {
    case AttemptStatus.Approved:
      return sql`${start}, ${paidCtes(outcome, options)} SELECT ${ATTEMPT_OUT}, ${orderOut('paid')}, ${orderMoved('paid')} FROM attempt LEFT JOIN paid ON true`;
    case AttemptStatus.Declined:
    case AttemptStatus.Error:
      return sql`${start}, ${endedCtes(storableText(outcome.reason), options)} SELECT ${ATTEMPT_OUT}, ${orderOut('ended')}, ${orderMoved('ended')} FROM attempt LEFT JOIN ended ON true`;
    default:
      // The order stays where it is (PROCESSING): read as it was (all CTEs see one snapshot; nothing here moves it).
      return sql`${start} SELECT ${ATTEMPT_OUT}, ${orderOut('o')} FROM attempt LEFT JOIN orders o ON o.plat_form_trade_no = attempt.order_no AND o.created_at = attempt.order_created_at`;
  }
}

/**
 * The attempt moved but its order did not (it was no longer open when the statement updated it):
 * a run-time error in the statement's last step, so the whole statement rolls back and nothing is
 * recorded. A cast of a text built from the row (not a constant, which the planner would fold and
 * raise on every call). Cannot happen while only an attempt's outcome moves a PROCESSING order.
 */
const orderMoved = (moved: string) =>
  sql`CASE WHEN ${sql.ref(`${moved}.plat_form_trade_no`)} IS NULL THEN (${ORDER_DID_NOT_MOVE} || attempt.order_no)::int END AS order_did_not_move`;
const ORDER_DID_NOT_MOVE = 'order of the attempt did not move: ';

/**
 * `attempt`: its compare-and-set; `released`: its card-testing slots given back; `event`. The
 * reason (or an unknown outcome's detail, its first code points) is written as the database can
 * store it (domain/outcome-text.ts: no NUL, no lone surrogate), so no acquirer's text can keep an
 * outcome from being recorded.
 */
function attemptCtes(attemptId: string, from: AttemptStatus, outcome: AttemptOutcome, options: RecordOptions) {
  const reason =
    'reason' in outcome ? storableText(outcome.reason) : outcome.status === AttemptStatus.Unknown ? storableText(outcome.detail, MAX_DETAIL_CODE_POINTS) : null;
  const challenge =
    outcome.status === AttemptStatus.Challenge
      ? sql`, challenge_id = ${outcome.challengeId}, challenge_redirect = ${outcome.redirect ? JSON.stringify(outcome.redirect) : null}::jsonb`
      : sql``;
  const release = releasesCardTestingSlots(outcome.status) ? sql`${releaseSlotsCte()},` : sql``;
  return sql`
    WITH attempt AS (
      UPDATE payment_attempts
         SET status = ${outcome.status}, reason = ${reason}, acquirer_reference = ${outcome.status === AttemptStatus.Approved ? outcome.reference : null},
             check_after = ${options.recheckAfter}, updated_at = ${options.now} ${challenge}
       WHERE id = ${attemptId} AND status = ${from}
      RETURNING ${ATTEMPT_RETURNING}),
    ${release}
    event AS (
      INSERT INTO order_events (order_no, type, detail)
      SELECT order_no, ${`attempt_${outcome.status}`}, ${JSON.stringify({ attempt: attemptId, reason })}::jsonb FROM attempt)`;
}

/**
 * Approved: `paid` (the order, with the attempt's card and saved card), its ledger `posting` and
 * `entries` (domain/ledger-postings.ts's terms, at the order's amount and the merchant's fee as
 * they stand), and the jobs: the notification, the receipt when the order has an email to send
 * it to, the simulator's dispute for its dispute cards.
 */
const PAYMENT_KIND: PostingKind = 'payment';

function paidCtes(outcome: Extract<AttemptOutcome, { status: 'approved' }>, options: RecordOptions) {
  const { from, to } = OrderMove.pay;
  const jobs: { kind: JobKind; detail: string | null; runAt: Date | null }[] = [
    { kind: JobKind.Notify, detail: null, runAt: null },
    { kind: JobKind.Email, detail: null, runAt: null },
    ...(outcome.disputeAfter ? [{ kind: JobKind.SimulatorDispute, detail: outcome.disputeAfter, runAt: new Date(options.now.getTime() + SIMULATOR_DISPUTE_DELAY_MS) }] : []),
  ];
  return sql`
    paid AS (
      UPDATE orders o SET status = ${to.status}, status_desc = ${to.desc}, paid_at = ${options.now}, ended_at = ${options.now},
             card_brand = attempt.card_brand, card_last4 = attempt.card_last4, card_token = COALESCE(attempt.card_token, o.card_token)
        FROM attempt
       WHERE o.plat_form_trade_no = attempt.order_no AND o.created_at = attempt.order_created_at AND o.status = ${from.status}
      RETURNING ${orderReturning('o')}),
    posting AS (
      INSERT INTO ledger_postings (kind, merchant_no, order_no) SELECT ${PAYMENT_KIND}, merchant_no, plat_form_trade_no FROM paid
      ON CONFLICT DO NOTHING RETURNING id, merchant_no),
    entries AS (
      INSERT INTO ledger_entries (posting_id, account, merchant_no, amount_cents)
      SELECT posting.id, e.account, posting.merchant_no, e.amount
        FROM posting
        JOIN paid ON true
        JOIN merchants m ON m.merchant_no = paid.merchant_no
        CROSS JOIN LATERAL (SELECT ${feeOfSql(sql`paid.amount_cents`, sql`m.fee_bps`)} AS fee) f
        CROSS JOIN LATERAL unnest(${PAYMENT_ENTRY_TERMS.map((t) => t.account)}::text[], ${PAYMENT_ENTRY_TERMS.map((t) => t.ofAmount)}::int[], ${PAYMENT_ENTRY_TERMS.map((t) => t.ofFee)}::int[]) AS t(account, of_amount, of_fee)
        CROSS JOIN LATERAL (SELECT t.account, t.of_amount * paid.amount_cents + t.of_fee * f.fee AS amount) e
       WHERE e.amount <> 0),
    jobs_queued AS (
      INSERT INTO jobs (id, kind, order_no, detail, run_at)
      SELECT j.id, j.kind, paid.plat_form_trade_no, j.detail, COALESCE(j.run_at, now())
        FROM paid, unnest(${jobs.map(() => newJobId())}::text[], ${jobs.map((job) => job.kind)}::text[], ${jobs.map((job) => job.detail)}::text[], ${jobs.map((job) => job.runAt?.toISOString() ?? null)}::timestamptz[]) AS j(id, kind, detail, run_at)
       WHERE j.kind <> ${JobKind.Email} OR paid.email <> '')`;
}

/**
 * Declined or error: `ended`, the order payable again or FAILED once its failed attempts, this one
 * included, reach the limit (domain: failedAttemptMove, attemptLimit; the count is the one on the
 * row as it is updated, not the statement's snapshot), and its notification when it ends.
 */
function endedCtes(reason: string, options: RecordOptions) {
  const { from } = OrderMove.endAttempt;
  const { ended: failed, reopened: open } = failedAttemptMove(reason);
  const atLimit = sql`o.failed_attempts + 1 >= CASE WHEN attempt.merchant_initiated THEN ${attemptLimit(true, options.maxAttempts)}::int ELSE ${attemptLimit(false, options.maxAttempts)}::int END`;
  return sql`
    ended AS (
      UPDATE orders o
         SET failed_attempts = o.failed_attempts + 1,
             status = CASE WHEN ${atLimit} THEN ${failed.status} ELSE ${open.status} END,
             status_desc = CASE WHEN ${atLimit} THEN ${failed.desc} ELSE ${open.desc} END,
             ended_at = CASE WHEN ${atLimit} THEN ${options.now}::timestamptz END
        FROM attempt
       WHERE o.plat_form_trade_no = attempt.order_no AND o.created_at = attempt.order_created_at AND o.status = ${from.status}
      RETURNING ${orderReturning('o')}),
    jobs_queued AS (
      INSERT INTO jobs (id, kind, order_no) SELECT ${newJobId()}, ${JobKind.Notify}, plat_form_trade_no FROM ended WHERE status <> ${open.status})`;
}

/**
 * The saved card an approved attempt leaves on its order when it asked to save one (kept in the
 * transaction that pays the order, so the notification carries it): from the paid order the
 * statement returned, no second read.
 */
async function keptCardOfApproval(trx: Transaction<Database>, settled: RecordResult, storedCard: StoredCardGrant, seal: (acquirerToken: string) => string): Promise<string | null> {
  const { attempt, order } = settled;
  if (attempt.card_token || !attempt.save_card || !order.customer_id) return null;
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

/**
 * The columns the statement returns, listed (never `*`: a prepared statement's result columns are
 * fixed when it is prepared, so a migration that adds one would break it): row-columns.ts. Order
 * columns come back prefixed, beside the attempt's.
 */
const ORDER_PREFIX = 'order__';
const orderReturning = (table: string) => columnList(ORDER_COLUMNS, table);
const orderOut = (table: string) => sql.join(ORDER_COLUMNS.map((column) => sql`${sql.ref(`${table}.${column}`)} AS ${sql.ref(`${ORDER_PREFIX}${column}`)}`));

/** The attempt and its order out of one row of the statement (no order when the row has none). */
function splitRow(row: Record<string, unknown>): { attempt: AttemptRow; order: OrderRow | undefined } {
  const attempt = Object.fromEntries(ATTEMPT_COLUMNS.map((column) => [column, row[column]]));
  const order = Object.fromEntries(ORDER_COLUMNS.map((column) => [column, row[`${ORDER_PREFIX}${column}`]]));
  return { attempt: attempt as AttemptRow, order: order['plat_form_trade_no'] == null ? undefined : (order as OrderRow) };
}
