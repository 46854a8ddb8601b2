import type { WireBody } from '../../domain/signature.ts';
import { PLAT_FORM_TRADE_NO, TRADE_NO, describedAs } from '../fields.ts';
import { readOrderReference, type OrderReference } from '../order-reference.ts';
import { PAYOUT_QUERY_ANSWER_EXAMPLES, PAYOUT_QUERY_REQUEST_EXAMPLES } from '../payout/examples.ts';
import { PAYOUT_SCHEMA } from '../payout-view.ts';
import { signedRequest, type OperationDoc } from '../wire-schema.ts';

export const PAYOUT_QUERY_REQUEST = signedRequest(
  {
    tradeNo: describedAs(TRADE_NO, 'Your payout id.', 'PAYOUT-2001'),
    platFormTradeNo: describedAs(PLAT_FORM_TRADE_NO, "The gateway's payout id: 16 lowercase letters and digits.", 'q8m2x0c4v7b1n5k9'),
  },
  [],
  'One of `tradeNo` and `platFormTradeNo` is required.',
);

/** Reads the body of `POST /v1/payout/query`: the payout's tradeNo or platFormTradeNo. */
export const readPayoutQuery = (body: WireBody): OrderReference => readOrderReference(body, PAYOUT_QUERY_REQUEST.properties);

export const PAYOUT_QUERY_OPERATION: OperationDoc = {
  operationId: 'queryPayout',
  tag: 'Payouts',
  summary: 'Query one payout',
  description: "By your `tradeNo` or the gateway's `platFormTradeNo`. Unknown (or another merchant's): `8009`.",
  request: PAYOUT_QUERY_REQUEST,
  requestExamples: PAYOUT_QUERY_REQUEST_EXAMPLES,
  data: PAYOUT_SCHEMA,
  answerDescription: 'The payout.',
  answerExamples: PAYOUT_QUERY_ANSWER_EXAMPLES,
};
