import { ZERO_CENTS, formatAmount, type Cents } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { OrderRow } from '../store/orders.ts';
import { OrderStatus, wireStatus, type StatusSet } from '../domain/order-status.ts';
import { Type } from '@sinclair/typebox';
import { PLAT_FORM_TRADE_NO, TRADE_NO } from './fields.ts';
import { CARD_TOKEN_PATTERN } from '../domain/saved-card.ts';
import { MONEY, WIRE_TIME, nullable } from './wire-schema.ts';
import type { DisputeStatus } from '../domain/dispute.ts';
import { DISPUTE_STATUS_SCHEMA } from './dispute-view.ts';

/**
 * An order as the query answers it (docs/api.md, "Query"), in the merchant's status set; with
 * `disputeStatus` (its latest dispute's) only when it has been disputed.
 */
export function orderView(order: OrderRow, refundedCents: Cents, statusSet: StatusSet, disputeStatus: DisputeStatus | null = null) {
  const paid = order.status === OrderStatus.Paid;
  return {
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    status: wireStatus(order.status, statusSet),
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
    ...(disputeStatus === null ? {} : { disputeStatus }),
    cardToken: order.card_token,
  };
}

/** What orderView answers, for the OpenAPI document. */
export const ORDER_SCHEMA = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  status: Type.String({
    enum: Object.values(OrderStatus),
    description: "In the merchant's status set: `family` (the default) never answers `00030` or `00031` (expired and closed orders are `00029`, told apart by `desc`); `extended` does.",
  }),
  desc: Type.String({ description: '`CREATED`, `PROCESSING`, `SUCCESS`, `FAILED: <reason>`, `EXPIRED` or `CLOSED`.' }),
  message: Type.String({ description: "The same as `desc` (the family's name for it)." }),
  amount: MONEY,
  orderAmount: MONEY,
  payAmount: { ...MONEY, description: 'The order amount once paid, `0.00` before.' },
  currency: Type.String({ enum: ['USD'] }),
  remark: nullable(Type.String()),
  createTime: WIRE_TIME,
  successTime: nullable(WIRE_TIME, 'When it was paid; `null` until then.'),
  cardBrand: nullable(Type.String({ enum: ['visa', 'mastercard'] }), 'The card that paid; `null` until paid.'),
  cardLast4: nullable(Type.String({ pattern: '^[0-9]{4}$' })),
  refundedAmount: { ...MONEY, description: 'Sum of the successful refunds.' },
  disputeStatus: Type.Optional({
    ...DISPUTE_STATUS_SCHEMA,
    description: "Only once the order is disputed: its latest dispute's status, `0015` OPEN, `0000` WON or `00029` LOST (`POST /v1/dispute/query` tells more). The order's own `status` does not change.",
  }),
  cardToken: nullable(Type.String({ pattern: CARD_TOKEN_PATTERN }), 'The saved card this order was paid with or saved (cards on file); `null` otherwise.'),
});
