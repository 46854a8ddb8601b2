import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { JobKind } from '../../src/domain/job-status.ts';
import { OrderStatus, isFinal, wireStatus, type StatusSet } from '../../src/domain/order-status.ts';
import { RefundStatus } from '../../src/domain/refund-status.ts';
import { PayoutStatusCode } from '../../src/domain/payout-status.ts';
import { checkLedger, type LedgerProblem } from '../../src/store/ledger/check-ledger.ts';
import { eventKey } from './merchant-endpoint.ts';
import type { Expected } from './undelivered.ts';

/**
 * The chaos run's reads of the database after the nodes are stopped. Typed by the gateway's
 * schema (src/db/schema.ts) and naming statuses through src/domain, so a renamed column or a
 * new status set is a compile error or a changed expectation here, not a silent miscount.
 */

/** Makes every open order due, so the nodes' own expiry sweep ends it (a payment under way finishes first). */
export async function makeOpenOrdersDue(db: Kysely<Database>): Promise<void> {
  await db.updateTable('orders').set({ expires_at: sql`now()` }).where('status', '=', OrderStatus.Open).execute();
}

/** The notify job of each order, refund and payout, by the event's key. */
async function notifyJobs(db: Kysely<Database>, refundOrder: ReadonlyMap<string, string>, payoutNo: ReadonlyMap<string, string>) {
  const jobs = await db.selectFrom('jobs').select(['id', 'order_no', 'refund_no', 'payout_id']).where('kind', '=', JobKind.Notify).execute();
  const byKey = new Map<string, string>();
  for (const job of jobs) {
    if (job.payout_id) byKey.set(eventKey('PAYOUT', payoutNo.get(job.payout_id) ?? `?${job.payout_id}`), job.id);
    else if (job.refund_no) byKey.set(eventKey('REFUND', job.order_no ?? refundOrder.get(job.refund_no) ?? '?', job.refund_no), job.id);
    else if (job.order_no) byKey.set(eventKey('PAYMENT', job.order_no), job.id);
  }
  return byKey;
}

export interface Stored {
  orders: { platFormTradeNo: string; status: OrderStatus; statusSet: StatusSet }[];
  refunds: number;
  payouts: { id: string; status: string }[];
  /** What every merchant should have been told: each payment, refund and payout. */
  expected: Expected[];
}

/**
 * Every order, refund and payout as stored, and what the merchant should have been told about
 * each: for a payment, wireStatus of the order's status in the merchant's status set (the same
 * function the notifier calls); for a refund or a payout, its status; always the event's notifyId.
 */
export async function readStored(db: Kysely<Database>): Promise<Stored> {
  const merchants = new Map((await db.selectFrom('merchants').select(['merchant_no', 'status_set']).execute()).map((row) => [row.merchant_no, row.status_set]));
  const orders = await db.selectFrom('orders').select(['plat_form_trade_no', 'merchant_no', 'status', 'status_desc']).execute();
  const refunds = await db.selectFrom('refunds').select(['refund_no', 'order_no', 'merchant_no', 'status', 'status_desc']).execute();
  const payouts = await db.selectFrom('payouts').select(['id', 'plat_form_trade_no', 'merchant_no', 'status', 'status_desc']).execute();
  const jobs = await notifyJobs(db, new Map(refunds.map((refund) => [refund.refund_no, refund.order_no])), new Map(payouts.map((payout) => [payout.id, payout.plat_form_trade_no])));

  const expected: Expected[] = [];
  for (const order of orders) {
    const set = merchants.get(order.merchant_no)!;
    const key = eventKey('PAYMENT', order.plat_form_trade_no);
    const final = isFinal(order.status);
    expected.push({ key, merchantNo: order.merchant_no, status: final ? wireStatus(order.status, set) : undefined, notifyId: jobs.get(key), stored: `${order.status} ${order.status_desc} (${set})` });
  }
  for (const refund of refunds) {
    const key = eventKey('REFUND', refund.order_no, refund.refund_no);
    const final = refund.status !== RefundStatus.Processing;
    expected.push({ key, merchantNo: refund.merchant_no, status: final ? refund.status : undefined, notifyId: jobs.get(key), stored: `refund ${refund.status} ${refund.status_desc}` });
  }
  for (const payout of payouts) {
    const key = eventKey('PAYOUT', payout.plat_form_trade_no);
    const final = payout.status !== PayoutStatusCode.Processing;
    expected.push({ key, merchantNo: payout.merchant_no, status: final ? payout.status : undefined, notifyId: jobs.get(key), stored: `payout ${payout.status} ${payout.status_desc}` });
  }
  return {
    orders: orders.map((order) => ({ platFormTradeNo: order.plat_form_trade_no, status: order.status, statusSet: merchants.get(order.merchant_no)! })),
    refunds: refunds.length,
    payouts: payouts.map((payout) => ({ id: payout.id, status: payout.status })),
    expected,
  };
}

/** Which order each payment attempt (the acquirer's idempotency key) belongs to. */
export async function attemptOrders(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('payment_attempts').select(['id', 'order_no']).execute();
  return new Map(rows.map((row) => [row.id, row.order_no]));
}

/** The gateway's own ledger check (`payrail ledger check`): postings sum to zero, each event posted as its state calls for, balances agree. */
export const ledgerProblems = (db: Kysely<Database>): Promise<LedgerProblem[]> => checkLedger(db);

/** Rows of any table whose JSON text matches `pattern`. */
export async function rowsMatching(db: Kysely<Database>, pattern: RegExp): Promise<number> {
  const tables = (await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`.execute(db)).rows.map((row) => row.tablename);
  let found = 0;
  for (const table of tables) {
    const rows = (await sql<{ text: string }>`SELECT row_to_json(t)::text AS text FROM ${sql.table(table)} t`.execute(db)).rows;
    found += rows.filter((row) => pattern.test(row.text)).length;
  }
  return found;
}
