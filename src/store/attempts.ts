import type { DisputeReason } from '../domain/dispute.ts';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PaymentAttemptsTable } from '../db/schema.ts';
import { AttemptStatus, FAILED_ATTEMPT, IN_FLIGHT, canMoveAttempt, orderAfterFailedAttempt } from '../domain/attempt-status.ts';
import { JobKind } from '../domain/job-status.ts';
import { OrderMove, OrderStatus } from '../domain/order-status.ts';
import { enqueueJobs } from './jobs.ts';
import { claimCardTestingSlots, handOverCardTestingSlots, releaseCardTestingSlots, type CappedBy } from './card-testing-slots.ts';
import { releasesCardTestingSlots } from '../domain/card-testing.ts';
import { postPayment } from './ledger/ledger-postings.ts';
import { findOrderByNo, type OrderRow } from './orders.ts';
import { createdAtOfOrder, createdAtOfToken, orderNoOfToken } from './order-keys.ts';
import type { RedirectForm, StoredCardGrant } from '../acquirers/acquirer.ts';
import { keepSavedCard } from './saved-cards.ts';

export type AttemptRow = Selectable<PaymentAttemptsTable>;

export interface NewAttempt {
  brand: 'visa' | 'mastercard';
  bin: string;
  last4: string;
  fingerprint: string;
  clientIp: string | null;
  /** The connector the attempt goes to; absent: the configured ACQUIRER. */
  acquirer?: string;
  /** The cashier language the customer pays in, kept on the order for the receipt. */
  locale?: string | undefined;
  /** Cards on file: save this card once approved; the saved card paid with; started by the merchant. */
  saveCard?: boolean;
  cardToken?: string | null;
  merchantInitiated?: boolean;
}

export type StartResult =
  | { started: true; order: OrderRow; attempt: AttemptRow }
  | { started: false; capped?: CappedBy };

/** Card-testing caps: declines (and attempts still in flight) per card per 24 h, per client address per hour. */
export interface CardTestingCaps {
  cardPerDay: number;
  ipPerHour: number;
}

/** Ends the start's transaction without a trace (claimed slots included) and answers `result`. */
class NotStarted extends Error {
  constructor(readonly result: StartResult) {
    super('attempt not started');
  }
}

/**
 * Starts an attempt on the order behind a payment token: the attempt claims its card-testing
 * slots (src/store/card-testing-slots.ts), the order moves CREATED → PROCESSING (compare-and-set)
 * and the attempt row is written, in one transaction. When a cap is full or the order is not
 * payable right now (paid, closed, expired, or another attempt under way) nothing is written.
 * Claims skip slots other attempts hold or are claiming, so a burst of concurrent tries gets
 * exactly the cap through, on every node, without one waiting on another's transaction.
 */
export async function startAttempt(db: Kysely<Database>, token: string, card: NewAttempt, checkAfter: Date, now: Date, caps: CardTestingCaps): Promise<StartResult> {
  const { from, to } = OrderMove.startAttempt;
  const attemptId = `att_${randomBytes(12).toString('hex')}`;
  try {
    return await db.transaction().execute(async (trx) => {
      const capped = await claimCardTestingSlots(trx, attemptId, card, caps);
      if (capped) throw new NotStarted({ started: false, capped });
      const order = await trx
        .updateTable('orders')
        .set({ status: to.status, status_desc: to.desc, ...(card.locale ? { paid_locale: card.locale } : {}) })
        .where('plat_form_trade_no', '=', orderNoOfToken(token))
        .where('created_at', '=', createdAtOfToken(token))
        .where('status', '=', from.status)
        .where('status_desc', '=', from.desc)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      if (!order) throw new NotStarted({ started: false });
      // The attempt and its event in one statement: one round trip fewer inside the transaction.
      const detail = JSON.stringify({ attempt: attemptId, brand: card.brand, last4: card.last4 });
      const { rows } = await sql<AttemptRow>`
        WITH attempt AS (
          INSERT INTO payment_attempts (id, order_no, order_created_at, card_brand, card_bin, card_last4, card_fingerprint, client_ip, acquirer, check_after,
                                        save_card, card_token, merchant_initiated)
          VALUES (${attemptId}, ${order.plat_form_trade_no}, ${createdAtOfOrder(order.plat_form_trade_no)}, ${card.brand}, ${card.bin}, ${card.last4},
                  ${card.fingerprint}, ${card.clientIp}, ${card.acquirer ?? null}, ${checkAfter},
                  ${card.saveCard ?? false}, ${card.cardToken ?? null}, ${card.merchantInitiated ?? false})
          RETURNING *),
        event AS (
          INSERT INTO order_events (order_no, type, detail) SELECT order_no, 'attempt_started', ${detail}::jsonb FROM attempt)
        SELECT * FROM attempt`.execute(trx);
      const attempt = rows[0]!;
      return { started: true, order, attempt } as const;
    });
  } catch (error) {
    if (error instanceof NotStarted) return error.result;
    throw error;
  }
}

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
  /** Declined and failed attempts of the order so far, when this outcome was one of them. */
  failedAttempts?: number;
  attempt: AttemptRow;
  order: OrderRow;
}

/**
 * Records what became of an attempt, and what that means for its order, in one transaction:
 * approved → order paid, with its notification and receipt queued; declined or error → order
 * payable again, or FAILED (and notified) at the attempt limit. The attempt moves only from the
 * status the caller saw (compare-and-set).
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
    const attempt = await trx
      .updateTable('payment_attempts')
      .set({
        status: outcome.status,
        reason: 'reason' in outcome ? outcome.reason : outcome.status === AttemptStatus.Unknown ? outcome.detail.slice(0, 200) : null,
        acquirer_reference: outcome.status === AttemptStatus.Approved ? outcome.reference : null,
        challenge_id: outcome.status === AttemptStatus.Challenge ? outcome.challengeId : undefined,
        challenge_redirect: outcome.status === AttemptStatus.Challenge && outcome.redirect ? JSON.stringify(outcome.redirect) : undefined,
        check_after: options.recheckAfter,
        updated_at: options.now,
      })
      .where('id', '=', attemptId)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    if (!attempt) {
      const current = await trx.selectFrom('payment_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
      return { recorded: false, attempt: current, order: await orderOf(trx, current.order_no) };
    }
    const orderNo = attempt.order_no;
    if (releasesCardTestingSlots(outcome.status)) await releaseCardTestingSlots(trx, attempt.id, slotKeysOf(attempt));
    await trx.insertInto('order_events').values({ order_no: orderNo, type: `attempt_${outcome.status}`, detail: JSON.stringify({ attempt: attempt.id, reason: attempt.reason }) }).execute();

    if (outcome.status === AttemptStatus.Approved) {
      const { from, to } = OrderMove.pay;
      const cardToken = await cardTokenOfApproval(trx, attempt, outcome.storedCard, options.seal);
      const order = await trx
        .updateTable('orders')
        .set({ status: to.status, status_desc: to.desc, paid_at: options.now, ended_at: options.now, card_brand: attempt.card_brand, card_last4: attempt.card_last4,
          ...(cardToken ? { card_token: cardToken } : {}) })
        .where('plat_form_trade_no', '=', orderNo)
        .where('created_at', '=', createdAtOfOrder(orderNo))
        .where('status', '=', from.status)
        .returningAll()
        .executeTakeFirst();
      // An attempt can only be in flight while its order is PROCESSING, which nothing else moves.
      if (!order) throw new Error(`approved attempt ${attempt.id} found order ${orderNo} no longer open`);
      await postPayment(trx, order);
      await enqueueJobs(trx, [{ kind: JobKind.Notify, orderNo }, { kind: JobKind.Email, orderNo }]);
      if (outcome.disputeAfter) {
        await enqueueJobs(trx, [{ kind: JobKind.SimulatorDispute, orderNo, detail: outcome.disputeAfter, runAt: new Date(options.now.getTime() + SIMULATOR_DISPUTE_DELAY_MS) }]);
      }
      return { recorded: true, attempt, order };
    }

    if (outcome.status === AttemptStatus.Declined || outcome.status === AttemptStatus.Error) {
      const failedAttempts = await countFailedAttempts(trx, orderNo);
      // A merchant-initiated charge has no customer to try another card: one decline ends it.
      const next = orderAfterFailedAttempt(failedAttempts, attempt.merchant_initiated ? 1 : options.maxAttempts, outcome.reason);
      const stillOpen = next.status === OrderStatus.Open;
      const order = await trx
        .updateTable('orders')
        .set({ status: next.status, status_desc: next.desc, ended_at: stillOpen ? null : options.now })
        .where('plat_form_trade_no', '=', orderNo)
        .where('created_at', '=', createdAtOfOrder(orderNo))
        .where('status', '=', OrderMove.endAttempt.from.status)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (!stillOpen) await enqueueJobs(trx, [{ kind: JobKind.Notify, orderNo }]);
      return { recorded: true, attempt, order, failedAttempts };
    }

    return { recorded: true, attempt, order: await orderOf(trx, orderNo) };
  });
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

/**
 * The customer answered a 3-D Secure challenge: the attempt moves challenge → processing before
 * the answer goes to the acquirer, so the reconciler can no longer end it as abandoned while the
 * acquirer may be charging the card. Answers false when someone else moved it first.
 */
export async function claimChallenge(db: Kysely<Database>, attemptId: string, challengeId: string, checkAfter: Date, now: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('payment_attempts')
    .set({ status: AttemptStatus.Processing, check_after: checkAfter, updated_at: now })
    .where('id', '=', attemptId)
    .where('status', '=', AttemptStatus.Challenge)
    .where('challenge_id', '=', challengeId)
    .returning('id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * The acquirer refused to process an attempt and said no money moved (`error`, retryable): the
 * same customer submission goes to the next acquirer as a new attempt row, in one transaction,
 * while the order stays PROCESSING, so the customer never sees it. Answers the new attempt, or
 * undefined when someone else settled the first attempt meanwhile.
 */
export async function failOverAttempt(
  db: Kysely<Database>,
  attemptId: string,
  reason: string,
  next: { acquirer: string; checkAfter: Date; now: Date },
): Promise<AttemptRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('payment_attempts')
      .set({ status: AttemptStatus.Error, reason, failed_over: true, updated_at: next.now })
      .where('id', '=', attemptId)
      .where('status', '=', AttemptStatus.Processing)
      .returningAll()
      .executeTakeFirst();
    if (!failed) return undefined;
    const attempt = await trx
      .insertInto('payment_attempts')
      .values({
        id: `att_${randomBytes(12).toString('hex')}`,
        order_no: failed.order_no,
        order_created_at: createdAtOfOrder(failed.order_no),
        card_brand: failed.card_brand,
        card_bin: failed.card_bin,
        card_last4: failed.card_last4,
        card_fingerprint: failed.card_fingerprint,
        client_ip: failed.client_ip,
        acquirer: next.acquirer,
        check_after: next.checkAfter,
        save_card: failed.save_card,
        card_token: failed.card_token,
        merchant_initiated: failed.merchant_initiated,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await handOverCardTestingSlots(trx, failed.id, attempt.id, slotKeysOf(failed));
    await trx
      .insertInto('order_events')
      .values({ order_no: failed.order_no, type: 'attempt_failed_over', detail: JSON.stringify({ from: failed.id, fromAcquirer: failed.acquirer, reason, to: attempt.id, toAcquirer: next.acquirer }) })
      .execute();
    return attempt;
  });
}

/** An approval that came after the attempt was settled otherwise, once per attempt, for operators. */
export async function recordLateApproval(db: Kysely<Database>, attempt: AttemptRow): Promise<void> {
  await sql`
    INSERT INTO order_events (order_no, type, detail)
    SELECT ${attempt.order_no}, 'approved_after_settled', ${JSON.stringify({ attempt: attempt.id, acquirer: attempt.acquirer })}
     WHERE NOT EXISTS (SELECT 1 FROM order_events WHERE order_no = ${attempt.order_no} AND type = 'approved_after_settled'
                        AND detail::jsonb ->> 'attempt' = ${attempt.id})`.execute(db);
}

export const findAttempt = (db: Kysely<Database>, attemptId: string) =>
  db.selectFrom('payment_attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();

export const findAttemptInFlight = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('order_created_at', '=', createdAtOfOrder(orderNo))
    .where('status', 'in', IN_FLIGHT)
    .executeTakeFirst();

/** The attempt that paid the order: its acquirer reference is what a refund gives back against. */
export const findApprovedAttempt = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('order_created_at', '=', createdAtOfOrder(orderNo))
    .where('status', '=', AttemptStatus.Approved)
    .executeTakeFirst();

export async function countFailedAttempts(db: Kysely<Database>, orderNo: string): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM payment_attempts WHERE order_no = ${orderNo} AND order_created_at = ${createdAtOfOrder(orderNo)} AND status IN (${sql.join(FAILED_ATTEMPT.map((status) => sql.lit(status)))})
       AND NOT failed_over`.execute(db);
  return result.rows[0]?.n ?? 0;
}

const slotKeysOf = (attempt: AttemptRow) => ({ fingerprint: attempt.card_fingerprint, clientIp: attempt.client_ip });

/**
 * Claims attempts still in flight whose time to be checked has come: the reconciler asks the
 * acquirer about them. The claim pushes `check_after` forward, so other nodes skip them.
 */
export async function claimAttemptsToReconcile(db: Kysely<Database>, limit: number, leaseMs: number): Promise<AttemptRow[]> {
  const claimed = await sql<AttemptRow>`
    UPDATE payment_attempts SET check_after = now() + ${leaseMs} * interval '1 millisecond'
     WHERE (id, order_created_at) IN (
       SELECT id, order_created_at FROM payment_attempts
        WHERE status IN (${sql.join(IN_FLIGHT.map((status) => sql.lit(status)))}) AND check_after <= now()
        ORDER BY check_after LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return claimed.rows;
}
