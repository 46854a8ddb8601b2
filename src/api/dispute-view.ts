import { Type } from '@sinclair/typebox';
import { DISPUTE_REASONS, DISPUTE_STATUS_DESC, DisputeStatus } from '../domain/dispute.ts';
import { formatAmount } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { DisputeRow } from '../store/disputes.ts';
import type { OrderRow } from '../store/orders.ts';
import { DISPUTE_NO, PLAT_FORM_TRADE_NO, TRADE_NO } from './fields.ts';
import { MONEY, WIRE_TIME, nullable } from './wire-schema.ts';

/** One dispute as `POST /v1/dispute/query` answers it. */
export function disputeView(dispute: DisputeRow) {
  return {
    disputeNo: dispute.dispute_no,
    status: dispute.status,
    desc: DISPUTE_STATUS_DESC[dispute.status],
    message: dispute.reason,
    amount: formatAmount(dispute.amount_cents),
    currency: dispute.currency,
    evidenceDueBy: dispute.evidence_due_by ? formatWireTime(dispute.evidence_due_by) : null,
    createdTime: formatWireTime(dispute.created_at),
    closedTime: dispute.closed_at ? formatWireTime(dispute.closed_at) : null,
  };
}

/** An order's disputes, oldest first. */
export function orderDisputesView(order: OrderRow, disputes: DisputeRow[]) {
  return { tradeNo: order.trade_no, platFormTradeNo: order.plat_form_trade_no, disputes: disputes.map(disputeView) };
}

export const DISPUTE_STATUS_SCHEMA = Type.String({ enum: Object.values(DisputeStatus), description: '`0015` OPEN, `0000` WON, `00029` LOST.' });

/** What disputeView answers, for the OpenAPI document. */
export const DISPUTE_SCHEMA = Type.Object({
  disputeNo: DISPUTE_NO,
  status: DISPUTE_STATUS_SCHEMA,
  desc: Type.String({ enum: Object.values(DISPUTE_STATUS_DESC), description: '`OPEN`, `WON` or `LOST`.' }),
  message: Type.String({ enum: [...DISPUTE_REASONS], description: "Why the cardholder disputes: the reason, in the processor's terms mapped to these." }),
  amount: { ...MONEY, description: 'The disputed amount: at most the paid amount.' },
  currency: Type.String({ enum: ['USD'] }),
  evidenceDueBy: nullable(WIRE_TIME, 'By when your evidence must reach the processor; `null` when not known.'),
  createdTime: WIRE_TIME,
  closedTime: nullable(WIRE_TIME, 'When it was WON or LOST; `null` while open.'),
});

export const ORDER_DISPUTES_SCHEMA = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  disputes: Type.Array(DISPUTE_SCHEMA, { description: "The order's disputes, oldest first; empty when it has none." }),
});
