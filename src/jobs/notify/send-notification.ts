import type { GatewayContext } from '../../context.ts';
import { findMerchant, merchantSigning } from '../../store/merchants.ts';
import { recordNotificationAttempt } from '../../store/notification-attempts.ts';
import type { JobOutcome, JobRow } from '../../store/jobs.ts';
import { findOrderByNo, type OrderRow } from '../../store/orders.ts';
import { findRefund, type RefundRow } from '../../store/refunds.ts';
import { deliverNotification } from './deliver.ts';
import { buildNotification, type NotificationFacts } from './payload.ts';
import { nextAttemptAt, type NotifySchedule } from './schedule.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';

/** The facts of a payment notification, read from the order as it is now (its status is final). */
export function paymentFacts(job: JobRow, order: OrderRow): NotificationFacts {
  return {
    notifyType: 'PAYMENT',
    notifyId: job.id,
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    status: order.status,
    message: order.status_desc,
    amount: order.amount_cents,
    currency: order.currency,
    remark: order.remark,
    successTime: order.status === OrderStatus.Paid ? order.paid_at : null,
  };
}

/** The facts of a refund notification: the refund's status and amount, on the order it refunds. */
export function refundFacts(job: JobRow, order: OrderRow, refund: RefundRow): NotificationFacts {
  return {
    notifyType: 'REFUND',
    notifyId: job.id,
    refundNo: refund.refund_no,
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    status: refund.status,
    message: refund.status_desc,
    amount: refund.amount_cents,
    currency: order.currency,
    remark: order.remark,
    successTime: refund.status === RefundStatus.Succeeded ? refund.ended_at : null,
  };
}

/**
 * One delivery attempt of one notification: build and sign the body afresh, POST it, record the
 * attempt, and say when to try again (or that the schedule is exhausted).
 */
export async function sendNotification(context: GatewayContext, schedule: NotifySchedule, job: JobRow): Promise<JobOutcome> {
  const order = await findOrderByNo(context.db, job.order_no);
  if (!order) throw new Error(`order ${job.order_no} of notification ${job.id} not found`);
  const merchant = await findMerchant(context.db, order.merchant_no);
  if (!merchant) throw new Error(`merchant ${order.merchant_no} of order ${job.order_no} not found`);

  const refund = job.refund_no ? await findRefund(context.db, order.merchant_no, job.refund_no) : undefined;
  const facts = refund ? refundFacts(job, order, refund) : paymentFacts(job, order);
  const body = buildNotification(
    facts,
    merchantSigning(merchant, context.masterKey),
    context.now(),
  );
  const attempt = await deliverNotification(order.notify_url, JSON.stringify(body), {
    allowPrivate: context.config.notifyAllowPrivate,
    timeoutMs: context.config.notifyTimeoutMs,
  });
  await recordNotificationAttempt(context.db, {
    notify_id: job.id,
    worker: context.nodeId,
    url: order.notify_url,
    acknowledged: attempt.acknowledged,
    http_status: attempt.httpStatus ?? null,
    latency_ms: Math.round(attempt.latencyMs),
    body_excerpt: attempt.bodyExcerpt ?? null,
    error: attempt.error ?? null,
  });
  context.metrics.notificationAttempts.inc({ acknowledged: String(attempt.acknowledged) });
  if (attempt.acknowledged) return { done: true };
  const error = attempt.error ?? `HTTP ${attempt.httpStatus}: ${attempt.bodyExcerpt ?? ''}`.slice(0, 300);
  return { done: false, retryAt: nextAttemptAt(job.attempts, context.now(), schedule), error };
}
