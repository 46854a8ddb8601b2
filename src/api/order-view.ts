import { ZERO_CENTS, formatAmount, type Cents } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { OrderRow } from '../store/orders.ts';
import { OrderStatus } from '../domain/order-status.ts';

/** An order as the query answers it (docs/api.md, "Query"). */
export function orderView(order: OrderRow, refundedCents: Cents) {
  const paid = order.status === OrderStatus.Paid;
  return {
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    status: order.status,
    desc: order.status_desc,
    message: order.status_desc,
    amount: formatAmount(order.amount_cents),
    orderAmount: formatAmount(order.amount_cents),
    payAmount: formatAmount(paid ? order.amount_cents : ZERO_CENTS),
    currency: order.currency,
    remark: order.remark,
    createTime: formatWireTime(order.created_at),
    successTime: order.paid_at ? formatWireTime(order.paid_at) : null,
    cardBrand: paid ? order.card_brand : null,
    cardLast4: paid ? order.card_last4 : null,
    refundedAmount: formatAmount(refundedCents),
  };
}
