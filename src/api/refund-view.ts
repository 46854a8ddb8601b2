import { formatAmount, type Cents } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { OrderRow } from '../store/orders.ts';
import type { RefundRow } from '../store/refunds.ts';
import { RefundStatus } from '../domain/refund-status.ts';

/** A refund as the refund API answers it. */
export function refundView(refund: RefundRow, order: OrderRow, refundedCents: Cents) {
  return {
    refundNo: refund.refund_no,
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    amount: formatAmount(refund.amount_cents),
    currency: order.currency,
    status: refund.status,
    desc: refund.status_desc,
    message: refund.status_desc,
    reason: refund.reason,
    createTime: formatWireTime(refund.created_at),
    successTime: refund.status === RefundStatus.Succeeded && refund.ended_at ? formatWireTime(refund.ended_at) : null,
    refundedAmount: formatAmount(refundedCents),
  };
}
