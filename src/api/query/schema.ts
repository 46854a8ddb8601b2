import type { WireBody } from '../../domain/signature.ts';
import { PLAT_FORM_TRADE_NO, TRADE_NO } from '../fields.ts';
import { readOrderReference, type OrderReference } from '../order-reference.ts';
import { ORDER_SCHEMA } from '../order-view.ts';
import { signedRequest, type OperationDoc } from '../wire-schema.ts';
import { QUERY_ANSWER_EXAMPLES, QUERY_REQUEST_EXAMPLES } from './examples.ts';

export const QUERY_REQUEST = signedRequest({ tradeNo: TRADE_NO, platFormTradeNo: PLAT_FORM_TRADE_NO }, [], 'One of `tradeNo` and `platFormTradeNo` is required.');

/** Reads the body of `POST /v1/checkout/query`. */
export const readQueryOrder = (body: WireBody): OrderReference => readOrderReference(body, QUERY_REQUEST.properties);

export const QUERY_OPERATION: OperationDoc = {
  operationId: 'queryOrder',
  tag: 'Checkout',
  summary: 'Query one order',
  description:
    "By `tradeNo`, `platFormTradeNo`, or both (then they must name the same order, else `8000`). Neither: `8002`. Not found, or another merchant's: `8009`. The query is the source of truth: use it after a `5000`, when a notification is late, and before shipping on the strength of a redirect.",
  request: QUERY_REQUEST,
  requestExamples: QUERY_REQUEST_EXAMPLES,
  data: ORDER_SCHEMA,
  answerDescription: 'The order.',
  answerExamples: QUERY_ANSWER_EXAMPLES,
};
