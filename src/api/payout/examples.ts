import { BusinessCode } from '../../domain/errors.ts';
import { PayoutStatusCode } from '../../domain/payout-status.ts';
import { envelopeError, envelopeOk, type Example } from '../wire-schema.ts';

const PAYOUT = {
  tradeNo: 'PAYOUT-2001',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  status: PayoutStatusCode.Paid,
  desc: 'SUCCESS',
  remark: 'weekly payout',
};

export const PAYOUT_NOTIFICATION = {
  notifyType: 'PAYOUT',
  status: PayoutStatusCode.Paid,
  message: 'SUCCESS',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  tradeNo: 'PAYOUT-2001',
  amount: '150.00',
  currency: 'USD',
  remark: 'weekly payout',
  successTime: '2026-11-25 18:07:02',
  notifyId: '1c0e7d2a9b3f4e5d6c7b8a9f0e1d2c3b',
  timestamp: '1795630022150',
  sign: '3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b',
};

export const PAYOUT_REQUEST_EXAMPLES: Record<string, Example> = {
  payout: {
    summary: 'Pay 150.00 to a Visa card',
    value: {
      tradeNo: 'PAYOUT-2001',
      amount: '150.00',
      currency: 'USD',
      customerName: 'Grace Hopper',
      customerAccountType: 'DebitCard',
      customerAccount: '4242424242424242',
      notifyUrl: 'https://merchant.example/payout-notify',
      remark: 'weekly payout',
      timestamp: '1795630022001',
      sign: '5d2c3f1b0a9e8d7c6b5a493827160f1e',
    },
  },
};

export const PAYOUT_ANSWER_EXAMPLES: Record<string, Example> = {
  paid: { summary: '0000 paid', value: envelopeOk(PAYOUT, 1795630022101) },
  failed: { summary: '0000 accepted, the card refused it', value: envelopeOk({ ...PAYOUT, status: PayoutStatusCode.Failed, desc: 'FAILED: DO_NOT_HONOR' }, 1795630022201) },
  insufficient: {
    summary: '8015 amount and fee above the available balance',
    value: envelopeError(BusinessCode.InsufficientBalance, 'amount 150.00 plus the payout fee 0.50 exceeds the available balance 100.00', 1795630022301),
  },
  accountType: { summary: '8002 not a card', value: envelopeError(BusinessCode.ParameterInvalid, 'customerAccountType must be DebitCard; BankAccount is not supported', 1795630022401) },
  duplicate: { summary: '8005 tradeNo reused with another amount', value: envelopeError(BusinessCode.DuplicateReference, 'tradeNo PAYOUT-2001 was already used with different parameters', 1795630022501) },
};

const PAYOUT_QUERIED = {
  tradeNo: 'PAYOUT-2001',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  orderAmount: '150.00',
  payAmount: '150.00',
  fee: '0.50',
  currency: 'USD',
  status: PayoutStatusCode.Paid,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  remark: 'weekly payout',
  createTime: '2026-11-25 18:07:02',
  successTime: '2026-11-25 18:07:02',
  cardLast4: '4242',
};

export const PAYOUT_QUERY_REQUEST_EXAMPLES: Record<string, Example> = {
  query: { summary: 'By tradeNo', value: { tradeNo: 'PAYOUT-2001', timestamp: '1795630023001', sign: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' } },
};

export const PAYOUT_QUERY_ANSWER_EXAMPLES: Record<string, Example> = {
  found: { summary: '0000 the payout', value: envelopeOk(PAYOUT_QUERIED, 1795630023101) },
  notFound: { summary: '8009 no such payout', value: envelopeError(BusinessCode.NotFound, 'payout PAYOUT-none not found', 1795630023201) },
};
