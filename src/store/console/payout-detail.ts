import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationAttemptsTable, PayoutEventsTable, PayoutsTable } from '../../db/schema.ts';
import { JobKind } from '../../domain/job-status.ts';
import type { ConsoleScope } from '../../domain/console-scope.ts';

/** A payout as operators see it: never its sealed card or fingerprint. */
export type PayoutView = Omit<Selectable<PayoutsTable>, 'card_sealed' | 'card_fingerprint' | 'request_hash'>;

export interface PayoutNotificationView {
  notifyId: string;
  status: string;
  runAt: Date;
  lastError: string | null;
  deliveries: Selectable<NotificationAttemptsTable>[];
}

export interface PayoutDetail {
  payout: PayoutView;
  merchantName: string;
  /** Each call to the acquirer and its answer. */
  attempts: Selectable<PayoutEventsTable>[];
  notifications: PayoutNotificationView[];
}

const VISIBLE = [
  'id', 'plat_form_trade_no', 'merchant_no', 'trade_no', 'amount_cents', 'fee_cents', 'currency', 'customer_name', 'customer_mobile',
  'customer_email', 'notify_url', 'remark', 'card_brand', 'card_bin', 'card_last4', 'status', 'status_desc', 'acquirer_reference', 'acquirer',
  'check_after', 'created_at', 'ended_at',
] as const;

/** Newest first, only what the console scope may see; `merchantNo` and `status` narrow the list. */
export function listPayoutViews(db: Kysely<Database>, scope: ConsoleScope, filter: { merchantNo?: string | undefined; status?: string | undefined; limit: number }) {
  let query = db.selectFrom('payouts').select(VISIBLE).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  if (filter.merchantNo) query = query.where('merchant_no', '=', filter.merchantNo);
  if (filter.status) query = query.where('status', '=', filter.status as PayoutView['status']);
  return query.execute();
}

/** One payout the scope may see and everything that happened to it, for the payout page. */
export async function loadPayout(db: Kysely<Database>, scope: ConsoleScope, platFormTradeNo: string): Promise<PayoutDetail | undefined> {
  let query = db.selectFrom('payouts').select(VISIBLE).where('plat_form_trade_no', '=', platFormTradeNo);
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  const payout = await query.executeTakeFirst();
  if (!payout) return undefined;
  const [merchant, attempts, jobs] = await Promise.all([
    db.selectFrom('merchants').select('name').where('merchant_no', '=', payout.merchant_no).executeTakeFirst(),
    db.selectFrom('payout_events').selectAll().where('payout_id', '=', payout.id).orderBy('id').execute(),
    db.selectFrom('jobs').selectAll().where('payout_id', '=', payout.id).where('kind', '=', JobKind.Notify).orderBy('created_at').orderBy('id').execute(),
  ]);
  const deliveries = jobs.length
    ? await db.selectFrom('notification_attempts').selectAll().where('notify_id', 'in', jobs.map((job) => job.id)).orderBy('id').execute()
    : [];
  return {
    payout,
    merchantName: merchant?.name ?? '',
    attempts,
    notifications: jobs.map((job) => ({
      notifyId: job.id,
      status: job.status,
      runAt: job.run_at,
      lastError: job.last_error,
      deliveries: deliveries.filter((delivery) => delivery.notify_id === job.id),
    })),
  };
}

/** A payout's internal id and merchant by its platFormTradeNo, for console actions; undefined outside the scope. */
export async function findPayoutIdByNo(db: Kysely<Database>, scope: ConsoleScope, platFormTradeNo: string): Promise<{ id: string; merchantNo: string } | undefined> {
  let query = db.selectFrom('payouts').select(['id', 'merchant_no']).where('plat_form_trade_no', '=', platFormTradeNo);
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  const row = await query.executeTakeFirst();
  return row && { id: row.id, merchantNo: row.merchant_no };
}
