import { Type } from '@sinclair/typebox';
import { BusinessCode } from '../../domain/errors.ts';
import { MONEY, envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

/** `POST /v1/balance` has no fields of its own: only the signed ones. */
export const BALANCE_REQUEST = signedRequest({}, []);

const BALANCE = Type.Object({
  availableAmount: { ...MONEY, description: 'Settled: can be paid out.' },
  unsettledAmount: { ...MONEY, description: 'Paid, less fees and refunds, not settled yet.' },
  freezeAmount: { ...MONEY, description: 'Held while disputes of your orders are open: the disputed amounts (see `POST /v1/dispute/query`).' },
  currency: Type.String({ enum: ['USD'] }),
});

export const BALANCE_OPERATION: OperationDoc = {
  operationId: 'balance',
  tag: 'Balance',
  summary: "The merchant's balances",
  description:
    "Summed from the double-entry ledger. A payment credits `unsettledAmount` with the amount less the merchant's fee (default 290 basis points); settlement, `SETTLEMENT_DELAY_HOURS` (default 24, T+1) after payment, moves it to `availableAmount`; a successful refund debits its full amount from unsettled (before settlement) or available (after). When a dispute opens, its amount moves from your balance (unsettled before settlement, available after) to `freezeAmount`; a won dispute gives it back to `availableAmount`; a lost one takes it for good, plus your dispute fee (default 15.00) from `availableAmount`.",
  request: BALANCE_REQUEST,
  requestExamples: {
    balance: { summary: 'No fields of its own', value: { timestamp: '1795629917104', sign: '144866347378864b6bad1aade935138c' } },
  },
  data: BALANCE,
  answerDescription: 'The balances.',
  answerExamples: {
    balance: {
      summary: '0000 after a 300.00 payment (fee 8.70) and a 100.00 refund, before settlement',
      value: envelopeOk({ availableAmount: '0.00', unsettledAmount: '191.30', freezeAmount: '0.00', currency: 'USD' }, 1795629917126),
    },
    rateLimited: { summary: '8012 over the rate limit (HTTP 429)', value: envelopeError(BusinessCode.RateLimited, 'rate limit of 1 requests per second exceeded', 1795629918886) },
  },
};
