import { formatAmount, type Cents } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { OrderRow } from '../store/orders.ts';
import type { RefundRow } from '../store/refunds.ts';
import { RefundStatus } from '../domain/refund-status.ts';
import { Type } from '@sinclair/typebox';
import { PLAT_FORM_TRADE_NO, TRADE_NO } from './fields.ts';
import { MONEY, WIRE_TIME, nullable } from './wire-schema.ts';

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

/** What refundView answers, for the OpenAPI document. */
export const REFUND_SCHEMA = Type.Object({
  refundNo: TRADE_NO,
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  amount: MONEY,
  currency: Type.String({ enum: ['USD'] }),
  status: Type.String({ enum: Object.values(RefundStatus), description: '`0015` PROCESSING, `0000` SUCCESS, `00029` FAILED.' }),
  desc: Type.String({ description: '`PROCESSING`, `SUCCESS` or `FAILED: <reason>`.' }),
  message: Type.String({ description: 'The same as `desc`.' }),
  reason: nullable(Type.String()),
  createTime: WIRE_TIME,
  successTime: nullable(WIRE_TIME),
  refundedAmount: { ...MONEY, description: "The order's successful refunds so far, this one included once it succeeded." },
});
