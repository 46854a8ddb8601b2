import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PaymentAttemptsTable } from '../db/schema.ts';
import { savesCard } from '../domain/saved-card.ts';
import { AttemptStatus, IN_FLIGHT } from '../domain/attempt-status.ts';
import { OrderMove } from '../domain/order-status.ts';
import { finishSlotClaims, handOverCardTestingSlots, slotClaimAnswers, slotClaimCtes, type CappedBy, type CardTestingCaps, type SlotClaims } from './card-testing-slots.ts';
import type { OrderRow } from './orders.ts';
import { createdAtOfOrder, createdAtOfToken, orderNoOfToken } from './order-keys.ts';
import { compiledOnce, fixedText } from './compiled-once.ts';
import { ATTEMPT_OUT, ATTEMPT_RETURNING, ORDER_COLUMNS } from './row-columns.ts';

export type AttemptRow = Selectable<PaymentAttemptsTable>;

export interface NewAttempt {
  brand: 'visa' | 'mastercard';
  bin: string;
  last4: string;
  fingerprint: string;
  clientIp: string | null;
  /**
   * The connector the attempt goes to, chosen once the order is known, inside the attempt's
   * transaction (reads go through `trx`: on PGlite the transaction holds the one connection);
   * absent: the configured ACQUIRER.
   */
  acquirerFor?: (order: OrderRow, trx: Transaction<Database>) => Promise<string>;
  /** The cashier language the customer pays in, kept on the order for the receipt. */
  locale?: string | undefined;
  /** Cards on file: the customer ticked "save this card" (the order's `saveCard` decides with it). */
  saveCardTicked?: boolean;
  /** The saved card paid with; started by the merchant (`POST /v1/charge`). */
  cardToken?: string | null;
  merchantInitiated?: boolean;
}

export type StartResult =
  | { started: true; order: OrderRow; attempt: AttemptRow }
  | { started: false; capped?: CappedBy };

export type { CardTestingCaps };

/** Ends the start's transaction without a trace (claimed slots included) and answers `result`. */
class NotStarted extends Error {
  constructor(readonly result: StartResult) {
    super('attempt not started');
  }
}

/**
 * The start's compare-and-set, CREATED → PROCESSING while unexpired, with the customer's language
 * when the cashier knows it: one statement per shape, compiled once and prepared (compiled-once.ts).
 */
const startOrderStatement = (withLocale: boolean) =>
  compiledOnce<{ token: string; now: Date; locale: string | null }, OrderRow>((db, arg) => {
    const { from, to } = OrderMove.startAttempt;
    return db
      .updateTable('orders')
      .set({ status: to.status, status_desc: to.desc, ...(withLocale ? { paid_locale: arg('locale') } : {}) })
      .where('plat_form_trade_no', '=', orderNoOfToken(arg('token')))
      .where('created_at', '=', createdAtOfToken(arg('token')))
      .where('status', '=', from.status)
      .where('status_desc', '=', from.desc)
      .where('expires_at', '>', arg('now'))
      .returning(ORDER_COLUMNS);
  });
const startOrder = startOrderStatement(false);
const startOrderInLocale = startOrderStatement(true);

/**
 * Starts an attempt on the order behind a payment token, in one transaction of two statements:
 * the order moves CREATED → PROCESSING (compare-and-set); then the attempt claims its card-testing
 * slots (src/store/card-testing-slots.ts) and is written with its `attempt_started` event. When
 * the order is not payable right now (paid, closed, expired, or another attempt under way) or a
 * cap is full, the transaction rolls back: nothing is written. Claims skip slots other attempts
 * hold or are claiming, so a burst of concurrent tries gets exactly the cap through, on every
 * node, without one waiting on another's transaction.
 */
export async function startAttempt(db: Kysely<Database>, token: string, card: NewAttempt, checkAfter: Date, now: Date, caps: CardTestingCaps): Promise<StartResult> {
  const attemptId = `att_${randomBytes(12).toString('hex')}`;
  try {
    return await db.transaction().execute(async (trx) => {
      const [order] = await (card.locale ? startOrderInLocale : startOrder)(trx, {
        token,
        now,
        locale: card.locale ?? null,
      });
      if (!order) throw new NotStarted({ started: false });
      const acquirer = card.acquirerFor ? await card.acquirerFor(order, trx) : null;
      const keys = { fingerprint: card.fingerprint, clientIp: card.clientIp };
      const detail = JSON.stringify({ attempt: attemptId, brand: card.brand, last4: card.last4 });
      // Its text is fixed per shape (with or without an address): prepared (compiled-once.ts, fixedText).
      const { rows } = await fixedText(trx, sql<AttemptRow & SlotClaims>`
        WITH ${slotClaimCtes(attemptId, keys, caps)},
        attempt AS (
          INSERT INTO payment_attempts (id, order_no, order_created_at, card_brand, card_bin, card_last4, card_fingerprint, client_ip, acquirer, check_after,
                                        save_card, card_token, merchant_initiated)
          VALUES (${attemptId}, ${order.plat_form_trade_no}, ${createdAtOfOrder(order.plat_form_trade_no)}, ${card.brand}, ${card.bin}, ${card.last4},
                  ${card.fingerprint}, ${card.clientIp}, ${acquirer}, ${checkAfter},
                  ${order.customer_id !== null && savesCard(order.save_card, card.saveCardTicked ?? false)}, ${card.cardToken ?? null}, ${card.merchantInitiated ?? false})
          RETURNING ${ATTEMPT_RETURNING}),
        event AS (
          INSERT INTO order_events (order_no, type, detail) SELECT order_no, 'attempt_started', ${detail}::jsonb FROM attempt)
        SELECT ${ATTEMPT_OUT}, ${slotClaimAnswers(keys)} FROM attempt`);
      const { card_claimed, card_next, address_claimed, address_next, ...attempt } = rows[0]!;
      const capped = await finishSlotClaims(trx, attemptId, keys, caps, { card_claimed, card_next, address_claimed, address_next });
      if (capped) throw new NotStarted({ started: false, capped });
      return { started: true, order, attempt } as const;
    });
  } catch (error) {
    if (error instanceof NotStarted) return error.result;
    throw error;
  }
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

export const slotKeysOf = (attempt: AttemptRow) => ({ fingerprint: attempt.card_fingerprint, clientIp: attempt.client_ip });

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
