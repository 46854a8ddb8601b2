import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PaymentAttemptsTable } from '../db/schema.ts';
import type { AttemptStatus } from '../domain/attempt-status.ts';
import { orderAfterFailedAttempt } from '../domain/attempt-status.ts';
import { enqueueJobs } from './jobs.ts';
import { postPayment } from '../ledger/postings.ts';
import type { OrderRow } from './orders.ts';

export type AttemptRow = Selectable<PaymentAttemptsTable>;

export interface NewAttempt {
  brand: 'visa' | 'mastercard';
  bin: string;
  last4: string;
  fingerprint: string;
  clientIp: string | null;
}

export type StartResult =
  | { started: true; order: OrderRow; attempt: AttemptRow }
  | { started: false; capped?: { byCard: number; byIp: number } };

/** Card-testing caps: declines (and attempts still in flight) per card per 24 h, per client address per hour. */
export interface CardTestingCaps {
  cardPerDay: number;
  ipPerHour: number;
}

/**
 * Starts an attempt on the order behind a payment token: the order moves CREATED → PROCESSING
 * (compare-and-set) and the attempt row is written, in one transaction. When the order is not
 * payable right now (paid, closed, expired, or another attempt under way) nothing is written.
 *
 * The card-testing caps are checked in the same transaction, under advisory locks on the card
 * and the client address, and attempts still in flight count as declines: so a burst of
 * concurrent tries gets exactly the cap through, on every node.
 */
export async function startAttempt(db: Kysely<Database>, token: string, card: NewAttempt, checkAfter: Date, caps: CardTestingCaps): Promise<StartResult> {
  return db.transaction().execute(async (trx) => {
    // Card before address, in separate lock spaces: no two transactions can wait on each other in a cycle.
    await sql`SELECT pg_advisory_xact_lock(1, hashtext(${card.fingerprint}))`.execute(trx);
    if (card.clientIp !== null) await sql`SELECT pg_advisory_xact_lock(2, hashtext(${card.clientIp}))`.execute(trx);
    const counts = await recentDeclines(trx, card.fingerprint, card.clientIp);
    if (counts.byCard >= caps.cardPerDay || counts.byIp >= caps.ipPerHour) return { started: false, capped: counts } as const;
    const order = await trx
      .updateTable('orders')
      .set({ status_desc: 'PROCESSING' })
      .where('payment_token', '=', token)
      .where('status', '=', '0015')
      .where('status_desc', '=', 'CREATED')
      .where('expires_at', '>', new Date())
      .returningAll()
      .executeTakeFirst();
    if (!order) return { started: false } as const;
    const attempt = await trx
      .insertInto('payment_attempts')
      .values({
        id: `att_${randomBytes(12).toString('hex')}`,
        order_no: order.plat_form_trade_no,
        card_brand: card.brand,
        card_bin: card.bin,
        card_last4: card.last4,
        card_fingerprint: card.fingerprint,
        client_ip: card.clientIp,
        check_after: checkAfter,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('order_events').values({ order_no: order.plat_form_trade_no, type: 'attempt_started', detail: JSON.stringify({ attempt: attempt.id, brand: card.brand, last4: card.last4 }) }).execute();
    return { started: true, order, attempt } as const;
  });
}

export type AttemptOutcome =
  | { status: 'approved'; reference: string }
  | { status: 'declined' | 'error'; reason: string }
  | { status: 'challenge'; challengeId: string }
  | { status: 'unknown'; detail: string };

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
  options: { maxAttempts: number; now: Date; recheckAfter: Date },
): Promise<RecordResult> {
  return db.transaction().execute(async (trx) => {
    const attempt = await trx
      .updateTable('payment_attempts')
      .set({
        status: outcome.status,
        reason: 'reason' in outcome ? outcome.reason : outcome.status === 'unknown' ? outcome.detail.slice(0, 200) : null,
        acquirer_reference: outcome.status === 'approved' ? outcome.reference : null,
        challenge_id: outcome.status === 'challenge' ? outcome.challengeId : undefined,
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
    await trx.insertInto('order_events').values({ order_no: orderNo, type: `attempt_${outcome.status}`, detail: JSON.stringify({ attempt: attempt.id, reason: attempt.reason }) }).execute();

    if (outcome.status === 'approved') {
      const order = await trx
        .updateTable('orders')
        .set({ status: '0000', status_desc: 'SUCCESS', paid_at: options.now, ended_at: options.now, card_brand: attempt.card_brand, card_last4: attempt.card_last4 })
        .where('plat_form_trade_no', '=', orderNo)
        .where('status', '=', '0015')
        .returningAll()
        .executeTakeFirst();
      // An attempt can only be in flight while its order is PROCESSING, which nothing else moves.
      if (!order) throw new Error(`approved attempt ${attempt.id} found order ${orderNo} no longer open`);
      await postPayment(trx, order);
      await enqueueJobs(trx, [{ kind: 'notify', orderNo }, { kind: 'email', orderNo }]);
      return { recorded: true, attempt, order };
    }

    if (outcome.status === 'declined' || outcome.status === 'error') {
      const failedAttempts = await countFailedAttempts(trx, orderNo);
      const next = orderAfterFailedAttempt(failedAttempts, options.maxAttempts, outcome.reason);
      const order = await trx
        .updateTable('orders')
        .set({ status: next.status, status_desc: next.desc, ended_at: next.status === '0015' ? null : options.now })
        .where('plat_form_trade_no', '=', orderNo)
        .where('status', '=', '0015')
        .returningAll()
        .executeTakeFirstOrThrow();
      if (next.status !== '0015') await enqueueJobs(trx, [{ kind: 'notify', orderNo }]);
      return { recorded: true, attempt, order, failedAttempts };
    }

    return { recorded: true, attempt, order: await orderOf(trx, orderNo) };
  });
}

const orderOf = (db: Kysely<Database> | Transaction<Database>, orderNo: string) =>
  db.selectFrom('orders').selectAll().where('plat_form_trade_no', '=', orderNo).executeTakeFirstOrThrow();

/**
 * The customer answered a 3-D Secure challenge: the attempt moves challenge → processing before
 * the answer goes to the acquirer, so the reconciler can no longer end it as abandoned while the
 * acquirer may be charging the card. Answers false when someone else moved it first.
 */
export async function claimChallenge(db: Kysely<Database>, attemptId: string, challengeId: string, checkAfter: Date, now: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('payment_attempts')
    .set({ status: 'processing', check_after: checkAfter, updated_at: now })
    .where('id', '=', attemptId)
    .where('status', '=', 'challenge')
    .where('challenge_id', '=', challengeId)
    .returning('id')
    .executeTakeFirst();
  return claimed !== undefined;
}

export const findAttemptInFlight = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('status', 'in', ['processing', 'challenge', 'unknown'])
    .executeTakeFirst();

export const latestAttempt = (db: Kysely<Database>, orderNo: string) =>
  db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();

export async function countFailedAttempts(db: Kysely<Database>, orderNo: string): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM payment_attempts WHERE order_no = ${orderNo} AND status IN ('declined', 'error')`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Declines of one card in the last 24 hours and from one client address in the last hour,
 * attempts still in flight included (any of them may be a decline).
 */
async function recentDeclines(db: Transaction<Database>, fingerprint: string, clientIp: string | null) {
  const result = await sql<{ by_card: number; by_ip: number }>`
    SELECT count(*) FILTER (WHERE card_fingerprint = ${fingerprint})::int AS by_card,
           count(*) FILTER (WHERE client_ip = ${clientIp} AND created_at > now() - interval '1 hour')::int AS by_ip
      FROM payment_attempts
     WHERE status IN ('declined', 'processing', 'challenge', 'unknown') AND created_at > now() - interval '24 hours'
       AND (card_fingerprint = ${fingerprint} OR client_ip = ${clientIp})`.execute(db);
  return { byCard: result.rows[0]?.by_card ?? 0, byIp: result.rows[0]?.by_ip ?? 0 };
}

/**
 * Claims attempts still in flight whose time to be checked has come: the reconciler asks the
 * acquirer about them. The claim pushes `check_after` forward, so other nodes skip them.
 */
export async function claimAttemptsToReconcile(db: Kysely<Database>, limit: number, leaseMs: number): Promise<AttemptRow[]> {
  const claimed = await sql<AttemptRow>`
    UPDATE payment_attempts SET check_after = now() + ${leaseMs} * interval '1 millisecond'
     WHERE id IN (
       SELECT id FROM payment_attempts
        WHERE status IN ('processing', 'challenge', 'unknown') AND check_after <= now()
        ORDER BY check_after LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return claimed.rows;
}
