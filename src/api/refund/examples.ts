import { BusinessCode } from '../../domain/errors.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { envelopeError, envelopeOk, type Example } from '../wire-schema.ts';

export const REFUND = {
  refundNo: 'REFUND-1001-1',
  tradeNo: 'ORDER-1001',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  amount: '100.00',
  currency: 'USD',
  status: RefundStatus.Succeeded,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  reason: 'one seat returned',
  createTime: '2026-11-25 18:05:16',
  successTime: '2026-11-25 18:05:16',
  refundedAmount: '100.00',
};

export const REFUND_NOTIFICATION = {
  notifyType: 'REFUND',
  status: RefundStatus.Succeeded,
  message: 'SUCCESS',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  tradeNo: 'ORDER-1001',
  amount: '100.00',
  currency: 'USD',
  remark: 'Two seats, row F',
  successTime: '2026-11-25 18:05:16',
  refundNo: 'REFUND-1001-1',
  notifyId: '649a81c6baf1bb26951f90c11a2d3834',
  timestamp: '1795629916497',
  sign: 'df6da1f488f68885a86d55f37c555563',
};

export const REFUND_REQUEST_EXAMPLES: Record<string, Example> = {
  partial: {
    summary: 'Refund 100.00 of a 300.00 order',
    value: { tradeNo: 'ORDER-1001', refundNo: 'REFUND-1001-1', amount: '100.00', reason: 'one seat returned', timestamp: '1795629916401', sign: '08c31e07bbc29ca134c2856874b4168c' },
  },
};

export const REFUND_ANSWER_EXAMPLES: Record<string, Example> = {
  succeeded: { summary: '0000 refund succeeded', value: envelopeOk(REFUND, 1795629916481) },
  duplicate: { summary: '8005 refundNo reused with another amount', value: envelopeError(BusinessCode.DuplicateReference, 'refundNo REFUND-1001-1 was already used with different parameters', 1795629916541) },
  tooMuch: { summary: '8011 more than is refundable', value: envelopeError(BusinessCode.RefundExceedsRefundable, 'amount exceeds the refundable 200.00', 1795629916575) },
  notPaid: { summary: '8010 the order is not paid', value: envelopeError(BusinessCode.StateForbidsOperation, 'order ORDER-1001-2 is not paid, so it cannot be refunded', 1795629918719) },
};
