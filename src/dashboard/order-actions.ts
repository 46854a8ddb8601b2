import { signedCents } from '../domain/money.ts';
import { OrderMove, OrderStatus } from '../domain/order-status.ts';
import { RefundStatus } from '../domain/refund-status.ts';
import type { OrderDetail } from '../store/console/order-detail.ts';

/**
 * What is left to refund, as the order page offers it: paid less every refund that has not
 * failed. Only for showing; createRefund decides again under the order's lock.
 */
export const refundableCents = (detail: OrderDetail) =>
  detail.order.status === OrderStatus.Paid
    ? signedCents(detail.order.amount_cents - detail.refunds.filter((r) => r.status !== RefundStatus.Failed).reduce((sum, r) => sum + r.amount_cents, 0))
    : signedCents(0);

/** Whether closeOrder would close the order now: unpaid, no payment under way. */
export const closable = (order: { status: string; status_desc: string }) => order.status === OrderMove.close.from.status && order.status_desc === OrderMove.close.from.desc;

