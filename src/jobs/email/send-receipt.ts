import type { GatewayContext } from '../../context.ts';
import type { JobOutcome, JobRow } from '../../store/jobs.ts';
import type { Mailer } from './mailer.ts';
import { renderReceipt } from './render-receipt.ts';
import { maskedCard } from '../../domain/card.ts';
import { findRefund } from '../../store/refunds.ts';
import { findOrderForReceipt } from '../../store/orders.ts';
import { isLocale } from '../../i18n/index.ts';

// After the first failure: 30 s, 1 min, 5 min, 15 min, 1 h, 3 h, then give up.
const EMAIL_RETRY_MS = [30_000, 60_000, 300_000, 900_000, 3_600_000, 10_800_000];

/** Sends the customer's receipt for a paid order or a refund. A failure to send is retried on a schedule. */
export async function sendReceipt(context: GatewayContext, mailer: Mailer, job: JobRow): Promise<JobOutcome> {
  if (job.order_no === null) throw new Error(`receipt ${job.id} has no order`);
  const order = await findOrderForReceipt(context.db, job.order_no);
  if (!order) throw new Error(`order ${job.order_no} of receipt ${job.id} not found`);
  const refund = job.refund_no ? await findRefund(context.db, order.merchant_no, job.refund_no) : undefined;
  if (job.refund_no && !refund) throw new Error(`refund ${job.refund_no} of order ${job.order_no} not found`);
  const receipt = renderReceipt({
    kind: refund ? 'refund' : 'payment',
    refundNo: refund?.refund_no,
    merchantName: order.merchant_name,
    amountCents: refund ? refund.amount_cents : order.amount_cents,
    currency: order.currency,
    maskedCard: maskedCard(order.card_brand, order.card_last4),
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    paidAt: (refund ? refund.ended_at : order.paid_at) ?? context.now(),
    publicUrl: context.config.publicUrl,
    ...(isLocale(order.paid_locale) ? { locale: order.paid_locale } : {}),
  });
  try {
    await mailer.send({ to: order.email, ...receipt, messageId: `receipt-${job.id}@payrail` });
    return { done: true };
  } catch (error) {
    const delay = EMAIL_RETRY_MS[job.attempts - 1];
    const retryAt = delay === undefined ? null : new Date(context.now().getTime() + delay);
    return { done: false, retryAt, error: (error as Error).message.slice(0, 300) };
  }
}
