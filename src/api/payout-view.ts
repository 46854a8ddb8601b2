import { formatAmount } from '../domain/money.ts';
import { PayoutStatusCode } from '../domain/payout-status.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import type { PayoutRow } from '../store/payouts.ts';

/** What `POST /v1/payout` answers (API.md section 12). */
export const payoutCreatedView = (payout: PayoutRow) => ({
  tradeNo: payout.trade_no,
  platFormTradeNo: payout.plat_form_trade_no,
  status: payout.status,
  desc: payout.status_desc,
  remark: payout.remark,
});

/** What `POST /v1/payout/query` answers (API.md section 12). */
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
