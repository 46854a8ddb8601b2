import type { GatewayContext } from '../../context.ts';
import { findMerchant, merchantSigning, type MerchantRow } from '../../store/merchants.ts';
import { recordNotificationAttempt } from '../../store/notification-attempts.ts';
import type { JobOutcome, JobRow } from '../../store/jobs.ts';
import { findOrderByNo, type OrderRow } from '../../store/orders.ts';
import { findRefund, type RefundRow } from '../../store/refunds.ts';
import { findPayoutById, type PayoutRow } from '../../store/payouts.ts';
import { findDisputeNotice, type DisputeNotice } from '../../store/disputes.ts';
import { PayoutStatusCode } from '../../domain/payout-status.ts';
import { deliverNotification } from './deliver.ts';
import { buildNotification, type NotificationFacts } from './payload.ts';
import { nextAttemptAt, type NotifySchedule } from './schedule.ts';
import { OrderStatus, wireStatus, type StatusSet } from '../../domain/order-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';

/** The facts of a payment notification, read from the order as it is now (its status is final), in the merchant's status set. */
export function paymentFacts(job: JobRow, order: OrderRow, statusSet: StatusSet): NotificationFacts {
  return {
    notifyType: 'PAYMENT',
    notifyId: job.id,
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    status: wireStatus(order.status, statusSet),
    message: order.status_desc,
    amount: order.amount_cents,
    currency: order.currency,
    remark: order.remark,
    successTime: order.status === OrderStatus.Paid ? order.paid_at : null,
    cardToken: order.card_token,
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

/** The facts of a payout notification: the payout as it ended. */
export function payoutFacts(job: JobRow, payout: PayoutRow): NotificationFacts {
  return {
    notifyType: 'PAYOUT',
    notifyId: job.id,
    platFormTradeNo: payout.plat_form_trade_no,
    tradeNo: payout.trade_no,
    status: payout.status,
    message: payout.status_desc,
    amount: payout.amount_cents,
    currency: payout.currency,
    remark: payout.remark,
    successTime: payout.status === PayoutStatusCode.Paid ? payout.ended_at : null,
  };
}

/** The facts of a dispute notification: the dispute as the event it tells left it. */
export function disputeFacts(job: JobRow, order: OrderRow, notice: DisputeNotice): NotificationFacts {
  return {
    notifyType: 'DISPUTE',
    notifyId: job.id,
    disputeNo: notice.dispute_no,
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    status: notice.status_after,
    message: notice.reason,
    amount: notice.amount_cents,
    currency: notice.currency,
    evidenceDueBy: notice.evidence_due_by,
  };
}

/** What a notify job about an order tells: a dispute event, a refund, or the payment. */
export async function orderJobFacts(context: GatewayContext, job: JobRow, order: OrderRow, statusSet: StatusSet): Promise<NotificationFacts> {
  if (job.dispute_event_id !== null) {
    const notice = await findDisputeNotice(context.db, job.dispute_event_id);
    if (!notice) throw new Error(`dispute event ${job.dispute_event_id} of notification ${job.id} not found`);
    return disputeFacts(job, order, notice);
  }
  const refund = job.refund_no ? await findRefund(context.db, order.merchant_no, job.refund_no) : undefined;
  return refund ? refundFacts(job, order, refund) : paymentFacts(job, order, statusSet);
}

/** What a notify job sends, for which merchant and where: from its payout, or from its order (and refund). */
async function factsOf(context: GatewayContext, job: JobRow): Promise<{ facts: NotificationFacts; merchant: MerchantRow; notifyUrl: string }> {
  const merchantOf = async (merchantNo: string) => {
    const merchant = await findMerchant(context.db, merchantNo);
    if (!merchant) throw new Error(`merchant ${merchantNo} of notification ${job.id} not found`);
    return merchant;
  };
  if (job.payout_id) {
    const payout = await findPayoutById(context.db, job.payout_id);
    if (!payout) throw new Error(`payout ${job.payout_id} of notification ${job.id} not found`);
    return { facts: payoutFacts(job, payout), merchant: await merchantOf(payout.merchant_no), notifyUrl: payout.notify_url };
  }
  const order = job.order_no === null ? undefined : await findOrderByNo(context.db, job.order_no);
  if (!order) throw new Error(`order ${job.order_no} of notification ${job.id} not found`);
  const merchant = await merchantOf(order.merchant_no);
  return { facts: await orderJobFacts(context, job, order, merchant.status_set), merchant, notifyUrl: order.notify_url };
}

/**
 * One delivery attempt of one notification: build and sign the body afresh, POST it, record the
 * attempt, and say when to try again (or that the schedule is exhausted).
 */
export async function sendNotification(context: GatewayContext, schedule: NotifySchedule, job: JobRow): Promise<JobOutcome> {
  const { facts, merchant, notifyUrl } = await factsOf(context, job);
  const body = buildNotification(facts, merchantSigning(merchant, context.masterKey, context.now()), context.now());
  const attempt = await deliverNotification(notifyUrl, JSON.stringify(body), {
    allowPrivate: context.config.notifyAllowPrivate,
    timeoutMs: context.config.notifyTimeoutMs,
  });
  await recordNotificationAttempt(context.db, {
    notify_id: job.id,
    worker: context.nodeId,
    url: notifyUrl,
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
