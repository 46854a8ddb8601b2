import { listDisputesOfOrder, type DisputeRow } from '../disputes.ts';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Cents } from '../../domain/money.ts';
import { LedgerAccount } from '../../domain/ledger-account.ts';
import type { Database, NotificationAttemptsTable, OrderEventsTable, OrdersTable, RefundsTable } from '../../db/schema.ts';
import { JobKind } from '../../domain/job-status.ts';
import { scopedMerchant, type ConsoleScope } from '../../domain/console-scope.ts';
import { createdAtOfOrder } from '../order-keys.ts';
import { listMismatchedEvents, type MismatchedEvent } from '../acquirer-events.ts';

/** What an operator may see of a payment attempt: never the fingerprint, nothing more of the card. */
export interface AttemptView {
  id: string;
  created_at: Date;
  acquirer: string | null;
  card_brand: string;
  card_bin: string;
  card_last4: string;
  status: string;
  reason: string | null;
  /** The processor's own id of the payment (a Stripe PaymentIntent, an Adyen pspReference). */
  acquirer_reference: string | null;
}

export interface NotificationView {
  notifyId: string;
  kind: 'PAYMENT' | 'REFUND' | 'DISPUTE';
  refundNo: string | null;
  status: string;
  runAt: Date;
  lastError: string | null;
  deliveries: Selectable<NotificationAttemptsTable>[];
}

export interface OrderDetail {
  order: Selectable<OrdersTable>;
  merchantName: string;
  events: Selectable<OrderEventsTable>[];
  attempts: AttemptView[];
  notifications: NotificationView[];
  refunds: Selectable<RefundsTable>[];
  /** The order's disputes (chargebacks), oldest first. */
  disputes: DisputeRow[];
  /** Our fee on the payment, from its ledger posting; null when the order was never paid. */
  feeCents: Cents | null;
  /** Processor events that named this order but not the payment we made (issue 21). */
  mismatchedEvents: MismatchedEvent[];
}

/** An order by its platFormTradeNo when `scope` may see it; undefined otherwise, as for an unknown order. */
export function findScopedOrder(db: Kysely<Database>, scope: ConsoleScope, orderNo: string) {
  const only = scopedMerchant(scope);
  let query = db.selectFrom('orders').selectAll().where('plat_form_trade_no', '=', orderNo).where('created_at', '=', createdAtOfOrder(orderNo));
  if (only !== null) query = query.where('merchant_no', '=', only);
  return query.executeTakeFirst();
}

/** One order and everything that happened to it, for the dashboard's order page; undefined outside `scope`. */
export async function loadOrderDetail(db: Kysely<Database>, scope: ConsoleScope, orderNo: string): Promise<OrderDetail | undefined> {
  const order = await findScopedOrder(db, scope, orderNo);
  if (!order) return undefined;
  const [merchant, events, attempts, jobs, refunds, fee] = await Promise.all([
    db.selectFrom('merchants').select('name').where('merchant_no', '=', order.merchant_no).executeTakeFirst(),
    // Events and deliveries come after the order: their partitions before its month are skipped.
    db.selectFrom('order_events').selectAll().where('order_no', '=', orderNo).where('created_at', '>=', order.created_at).orderBy('id').execute(),
    db
      .selectFrom('payment_attempts')
      .select(['id', 'created_at', 'acquirer', 'card_brand', 'card_bin', 'card_last4', 'status', 'reason', 'acquirer_reference'])
      .where('order_no', '=', orderNo)
      .where('order_created_at', '=', createdAtOfOrder(orderNo))
      .orderBy('created_at')
      .execute(),
    db.selectFrom('jobs').selectAll().where('order_no', '=', orderNo).where('kind', '=', JobKind.Notify).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('refunds').selectAll().where('order_no', '=', orderNo).orderBy('created_at').execute(),
    // The payment posting's fee entry (a credit to fee_revenue), written at or after the order's creation.
    db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_postings as p', 'p.id', 'e.posting_id')
      .select([sql<number>`-sum(e.amount_cents)::bigint`.as('cents'), sql<number>`count(*)::int`.as('entries')])
      .where('p.order_no', '=', orderNo)
      .where('p.kind', '=', 'payment')
      .where('e.account', '=', LedgerAccount.FeeRevenue)
      .where('e.created_at', '>=', order.created_at)
      .executeTakeFirst(),
  ]);
  const deliveries = jobs.length
    ? await db.selectFrom('notification_attempts').selectAll().where('notify_id', 'in', jobs.map((job) => job.id)).where('attempted_at', '>=', order.created_at).orderBy('id').execute()
    : [];
  const [mismatchedEvents, disputes] = await Promise.all([listMismatchedEvents(db, orderNo), listDisputesOfOrder(db, orderNo)]);
  return {
    order,
    mismatchedEvents,
    merchantName: merchant?.name ?? '',
    events,
    attempts,
    notifications: jobs.map((job) => ({
      notifyId: job.id,
      kind: job.dispute_event_id !== null ? 'DISPUTE' : job.refund_no ? 'REFUND' : 'PAYMENT',
      refundNo: job.refund_no,
      status: job.status,
      runAt: job.run_at,
      lastError: job.last_error,
      deliveries: deliveries.filter((delivery) => delivery.notify_id === job.id),
    })),
    refunds,
    disputes,
    feeCents: fee && fee.entries > 0 ? (Number(fee.cents) as Cents) : null,
  };
}
