import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PayoutsTable } from '../db/schema.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { newPlatFormTradeNo } from '../domain/ids.ts';
import { formatAmount, signedCents, type Cents } from '../domain/money.ts';
import { PAYOUT_PAID_DESC, PayoutStatusCode, payoutFailedDesc } from '../domain/payout-status.ts';
import { enqueueJobs } from './jobs.ts';
import { spendableCents } from './ledger/ledger-balances.ts';
import { postPayoutHold, postPayoutPaid, postPayoutReversed } from './ledger/ledger-postings.ts';

export type PayoutRow = Selectable<PayoutsTable>;

export interface NewPayout {
  merchantNo: string;
  tradeNo: string;
  requestHash: string;
  amountCents: Cents;
  currency: string;
  customerName: string;
  customerMobile: string | null;
  customerEmail: string | null;
  notifyUrl: string;
  remark: string | null;
  card: { brand: 'visa' | 'mastercard'; bin: string; last4: string; fingerprint: string; sealed: string };
  /** The connector the payout goes to (AcquirerSet.routePayout); the reconciler asks the same one. */
  acquirer: string;
  checkAfter: Date;
}

const UNIQUE_VIOLATION = '23505';

const reused = (tradeNo: string) => new PayrailError(BusinessCode.DuplicateReference, `tradeNo ${tradeNo} was already used with different parameters`);

/**
 * Records a payout and holds its amount plus the merchant's payout fee, or answers the existing
 * payout for a tradeNo sent again with the same fields. The merchant's row is locked, so payouts
 * of one merchant are checked against the available balance one at a time and can never overdraw.
 */
export async function createPayout(db: Kysely<Database>, payout: NewPayout): Promise<{ payout: PayoutRow; created: boolean }> {
  try {
    return await db.transaction().execute((trx) => insertPayout(trx, payout));
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    const existing = await findPayout(db, payout.merchantNo, { tradeNo: payout.tradeNo });
    if (!existing) throw error;
    if (existing.request_hash !== payout.requestHash) throw reused(payout.tradeNo);
    return { payout: existing, created: false };
  }
}

async function insertPayout(trx: Transaction<Database>, payout: NewPayout): Promise<{ payout: PayoutRow; created: boolean }> {
  const merchant = await trx.selectFrom('merchants').select('payout_fee_cents').where('merchant_no', '=', payout.merchantNo).forUpdate().executeTakeFirstOrThrow();
  const existing = await trx.selectFrom('payouts').selectAll().where('merchant_no', '=', payout.merchantNo).where('trade_no', '=', payout.tradeNo).executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== payout.requestHash) throw reused(payout.tradeNo);
    return { payout: existing, created: false };
  }
  const fee = merchant.payout_fee_cents;
  const spendable = await spendableCents(trx, payout.merchantNo);
  if (payout.amountCents + fee > spendable) {
    throw new PayrailError(
      BusinessCode.InsufficientBalance,
      `amount ${formatAmount(payout.amountCents)} plus the payout fee ${formatAmount(fee)} exceeds the available balance ${formatAmount(signedCents(Math.max(0, spendable)))}`,
    );
  }
  const row = await trx
    .insertInto('payouts')
    .values({
      id: `po_${randomBytes(12).toString('hex')}`,
      plat_form_trade_no: newPlatFormTradeNo(),
      merchant_no: payout.merchantNo,
      trade_no: payout.tradeNo,
      request_hash: payout.requestHash,
      amount_cents: payout.amountCents,
      fee_cents: fee,
      currency: payout.currency,
      customer_name: payout.customerName,
      customer_mobile: payout.customerMobile,
      customer_email: payout.customerEmail,
      notify_url: payout.notifyUrl,
      remark: payout.remark,
      card_brand: payout.card.brand,
      card_bin: payout.card.bin,
      card_last4: payout.card.last4,
      card_fingerprint: payout.card.fingerprint,
      card_sealed: payout.card.sealed,
      acquirer: payout.acquirer,
      check_after: payout.checkAfter,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await postPayoutHold(trx, row);
  await addPayoutEvent(trx, row.id, 'accepted', `held ${formatAmount(signedCents(row.amount_cents + row.fee_cents))} (fee ${formatAmount(row.fee_cents)})`);
  return { payout: row, created: true };
}

export type PayoutOutcome = { status: 'paid'; reference: string } | { status: 'failed'; reason: string };

/**
 * Records how a payout ended (compare-and-set from PROCESSING): erases the sealed card number,
 * posts the money out (paid) or back (failed), and queues the PAYOUT notification, all in one
 * transaction. A payout already ended is answered as it stands.
 */
export async function recordPayoutOutcome(db: Kysely<Database>, payoutId: string, outcome: PayoutOutcome, now: Date): Promise<PayoutRow> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('payouts')
      .set(
        outcome.status === 'paid'
          ? { status: PayoutStatusCode.Paid, status_desc: PAYOUT_PAID_DESC, acquirer_reference: outcome.reference, card_sealed: null, ended_at: now }
          : { status: PayoutStatusCode.Failed, status_desc: payoutFailedDesc(outcome.reason), card_sealed: null, ended_at: now },
      )
      .where('id', '=', payoutId)
      .where('status', '=', PayoutStatusCode.Processing)
      .returningAll()
      .executeTakeFirst();
    if (!ended) return trx.selectFrom('payouts').selectAll().where('id', '=', payoutId).executeTakeFirstOrThrow();
    if (outcome.status === 'paid') await postPayoutPaid(trx, ended);
    else await postPayoutReversed(trx, ended);
    await addPayoutEvent(trx, ended.id, outcome.status, outcome.status === 'paid' ? `acquirer reference ${outcome.reference}` : outcome.reason);
    await enqueueJobs(trx, [{ kind: 'notify', payoutId: ended.id }]);
    return ended;
  });
}

export const addPayoutEvent = (db: Kysely<Database> | Transaction<Database>, payoutId: string, type: string, detail: string | null) =>
  db.insertInto('payout_events').values({ payout_id: payoutId, type, detail }).execute();

/** A merchant's payout by its tradeNo or our platFormTradeNo (both must match when both are given). */
export function findPayout(db: Kysely<Database>, merchantNo: string, reference: { tradeNo?: string; platFormTradeNo?: string }) {
  let query = db.selectFrom('payouts').selectAll().where('merchant_no', '=', merchantNo);
  if (reference.tradeNo) query = query.where('trade_no', '=', reference.tradeNo);
  if (reference.platFormTradeNo) query = query.where('plat_form_trade_no', '=', reference.platFormTradeNo);
  return query.executeTakeFirst();
}

export const findPayoutById = (db: Kysely<Database>, id: string) => db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();

/** Payouts still PROCESSING whose time to be checked has come; the claim pushes the next check. */
export async function claimPayoutsToReconcile(db: Kysely<Database>, limit: number, leaseMs: number): Promise<PayoutRow[]> {
  const claimed = await sql<PayoutRow>`
    UPDATE payouts SET check_after = now() + ${leaseMs} * interval '1 millisecond'
     WHERE id IN (SELECT id FROM payouts WHERE status = ${sql.lit(PayoutStatusCode.Processing)} AND check_after <= now() ORDER BY check_after LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return claimed.rows;
}

/** Newest first, for operators; `merchantNo` narrows to one merchant. */
export function listPayouts(db: Kysely<Database>, options: { merchantNo?: string; status?: string; limit: number }) {
  let query = db.selectFrom('payouts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.merchantNo) query = query.where('merchant_no', '=', options.merchantNo);
  if (options.status) query = query.where('status', '=', options.status as PayoutRow['status']);
  return query.execute();
}

export const payoutEventsOf = (db: Kysely<Database>, payoutId: string) =>
  db.selectFrom('payout_events').selectAll().where('payout_id', '=', payoutId).orderBy('id').execute();
