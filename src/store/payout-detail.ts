import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationAttemptsTable, PayoutEventsTable, PayoutsTable } from '../db/schema.ts';
import { JobKind } from '../domain/job-status.ts';

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
  'customer_email', 'notify_url', 'remark', 'card_brand', 'card_bin', 'card_last4', 'status', 'status_desc', 'acquirer_reference',
  'check_after', 'created_at', 'ended_at',
] as const;

/** Newest first; `merchantNo` and `status` narrow the list. */
export function listPayoutViews(db: Kysely<Database>, filter: { merchantNo?: string | undefined; status?: string | undefined; limit: number }) {
  let query = db.selectFrom('payouts').select(VISIBLE).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
  if (filter.merchantNo) query = query.where('merchant_no', '=', filter.merchantNo);
  if (filter.status) query = query.where('status', '=', filter.status as PayoutView['status']);
  return query.execute();
}

/** One payout and everything that happened to it, for the payout page. */
export async function loadPayout(db: Kysely<Database>, platFormTradeNo: string): Promise<PayoutDetail | undefined> {
  const payout = await db.selectFrom('payouts').select(VISIBLE).where('plat_form_trade_no', '=', platFormTradeNo).executeTakeFirst();
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

/** A payout's internal id by its platFormTradeNo, for operator actions. */
export async function findPayoutIdByNo(db: Kysely<Database>, platFormTradeNo: string): Promise<string | undefined> {
  return (await db.selectFrom('payouts').select('id').where('plat_form_trade_no', '=', platFormTradeNo).executeTakeFirst())?.id;
}
