import { formatAmount } from '../domain/money.ts';
import { PayoutStatusCode } from '../domain/payout-status.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { PayoutRow } from '../store/payouts.ts';
import { Type } from '@sinclair/typebox';
import { PLAT_FORM_TRADE_NO, TRADE_NO } from './fields.ts';
import { MONEY, WIRE_TIME, nullable } from './wire-schema.ts';

/** What `POST /v1/payout` answers (docs/api.md, Payouts). */
export const payoutCreatedView = (payout: PayoutRow) => ({
  tradeNo: payout.trade_no,
  platFormTradeNo: payout.plat_form_trade_no,
  status: payout.status,
  desc: payout.status_desc,
  remark: payout.remark,
});

/** What `POST /v1/payout/query` answers (docs/api.md, Payouts). */
export const payoutQueryView = (payout: PayoutRow) => ({
  tradeNo: payout.trade_no,
  platFormTradeNo: payout.plat_form_trade_no,
  orderAmount: formatAmount(payout.amount_cents),
  payAmount: formatAmount(payout.amount_cents),
  fee: formatAmount(payout.fee_cents),
  currency: payout.currency,
  status: payout.status,
  desc: payout.status_desc,
  message: payout.status_desc,
  remark: payout.remark,
  createTime: formatWireTime(payout.created_at),
  successTime: payout.status === PayoutStatusCode.Paid && payout.ended_at ? formatWireTime(payout.ended_at) : null,
  cardLast4: payout.card_last4,
});

/** What payoutCreatedView answers, for the OpenAPI document. */
export const PAYOUT_CREATED_SCHEMA = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  status: Type.String({ enum: Object.values(PayoutStatusCode), description: '`0015` PROCESSING, `0000` SUCCESS, `00029` FAILED.' }),
  desc: Type.String({ description: '`PROCESSING`, `SUCCESS` or `FAILED: <reason>`.' }),
  remark: nullable(Type.String()),
});

/** What payoutQueryView answers, for the OpenAPI document. */
export const PAYOUT_SCHEMA = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  orderAmount: { ...MONEY, description: 'The payout amount.' },
  payAmount: { ...MONEY, description: 'What the card receives: the payout amount.' },
  fee: { ...MONEY, description: 'Your payout fee, held and taken besides the amount.' },
  currency: Type.String({ enum: ['USD'] }),
  status: Type.String({ enum: Object.values(PayoutStatusCode) }),
  desc: Type.String(),
  message: Type.String({ description: 'The same as `desc`.' }),
  remark: nullable(Type.String()),
  createTime: WIRE_TIME,
  successTime: nullable(WIRE_TIME, 'When paid; `null` until then.'),
  cardLast4: Type.String({ pattern: '^[0-9]{4}$' }),
});
