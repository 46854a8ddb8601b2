import { BusinessCode } from '../../domain/errors.ts';
import { OrderState, OrderStatus, wireStatus } from '../../domain/order-status.ts';
import { envelopeError, envelopeOk, type Example } from '../wire-schema.ts';

export const ORDER_OPEN = {
  tradeNo: 'ORDER-1001',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  status: OrderState.Created.status,
  desc: OrderState.Created.desc,
  message: OrderState.Created.desc,
  amount: '300.00',
  orderAmount: '300.00',
  payAmount: '0.00',
  currency: 'USD',
  remark: 'Two seats, row F',
  createTime: '2026-11-25 18:05:14',
  successTime: null,
  cardBrand: null,
  cardLast4: null,
  refundedAmount: '0.00',
};
const ORDER_PAID = {
  ...ORDER_OPEN,
  status: OrderStatus.Paid,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  payAmount: '300.00',
  successTime: '2026-11-25 18:05:14',
  cardBrand: 'visa',
  cardLast4: '4242',
  refundedAmount: '100.00',
};
const ORDER_FAILED = {
  ...ORDER_OPEN,
  tradeNo: 'ORDER-1003',
  platFormTradeNo: 'camgqgz6sms2jbnv',
  status: OrderStatus.Failed,
  desc: 'FAILED: DO_NOT_HONOR',
  message: 'FAILED: DO_NOT_HONOR',
  createTime: '2026-11-25 18:05:18',
};
export const ORDER_CLOSED = {
  ...ORDER_OPEN,
  tradeNo: 'ORDER-1001-2',
  platFormTradeNo: 'a2uz8twd322fb36w',
  status: OrderStatus.Closed,
  desc: 'CLOSED',
  message: 'CLOSED',
  remark: null,
  createTime: '2026-11-25 18:05:18',
};
/** The same closed order as a merchant with the default status set, `family`, is told it. */
export const ORDER_CLOSED_FAMILY = { ...ORDER_CLOSED, status: wireStatus(ORDER_CLOSED.status, 'family') };

export const QUERY_REQUEST_EXAMPLES: Record<string, Example> = {
  byTradeNo: { summary: 'By tradeNo', value: { tradeNo: 'ORDER-1001', timestamp: '1795629914552', sign: '044c731235c27055a08f7b41901ac101' } },
  byPlatFormTradeNo: { summary: 'By platFormTradeNo', value: { platFormTradeNo: '7zbnhv6xo47lyuo7', timestamp: '1795629916351', sign: 'd1200b211362d77206ca97ee514c0262' } },
};

export const QUERY_ANSWER_EXAMPLES: Record<string, Example> = {
  open: { summary: '0000 an open order', value: envelopeOk(ORDER_OPEN, 1795629914570) },
  paid: { summary: '0000 a paid order, partly refunded', value: envelopeOk(ORDER_PAID, 1795629917102) },
  failed: { summary: '0000 an order whose attempts are used up', value: envelopeOk(ORDER_FAILED, 1795629919092) },
  notFound: { summary: '8009 no such order', value: envelopeError(BusinessCode.NotFound, 'order ORDER-1001-none not found', 1795629918809) },
  mismatch: {
    summary: '8000 the two references name different orders',
    value: envelopeError(BusinessCode.OrderError, 'tradeNo ORDER-1001 and platFormTradeNo a2uz8twd322fb36w name different orders', 1795629918842),
  },
};
