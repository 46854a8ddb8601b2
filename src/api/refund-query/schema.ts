import { BusinessCode } from '../../domain/errors.ts';
import type { WireBody } from '../../domain/signature.ts';
import { TRADE_NO, describedAs, text } from '../fields.ts';
import { REFUND } from '../refund/examples.ts';
import { REFUND_SCHEMA } from '../refund-view.ts';
import { envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const REFUND_QUERY_REQUEST = signedRequest({ refundNo: describedAs(TRADE_NO, 'Your refund id.', 'REFUND-1001-1') }, ['refundNo']);

/** Reads the body of `POST /v1/refund/query`: the merchant's refundNo. */
export const readRefundQuery = (body: WireBody) => ({ refundNo: text(body, 'refundNo', REFUND_QUERY_REQUEST.properties.refundNo) });

export const REFUND_QUERY_OPERATION: OperationDoc = {
  operationId: 'queryRefund',
  tag: 'Refunds',
  summary: 'Query one refund',
  description: "By your `refundNo`. Unknown (or another merchant's): `8009`.",
  request: REFUND_QUERY_REQUEST,
  requestExamples: {
    query: { summary: 'By refundNo', value: { refundNo: 'REFUND-1001-1', timestamp: '1795629917077', sign: '2b23920c95e3051152ea358c314494e7' } },
  },
  data: REFUND_SCHEMA,
  answerDescription: 'The refund.',
  answerExamples: {
    found: { summary: '0000 the refund', value: envelopeOk(REFUND, 1795629917086) },
    notFound: { summary: '8009 no such refund', value: envelopeError(BusinessCode.NotFound, 'refund REFUND-1001-none not found', 1795629917090) },
  },
};
