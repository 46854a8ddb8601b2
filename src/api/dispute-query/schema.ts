import { BusinessCode, missingParameter } from '../../domain/errors.ts';
import { DISPUTE_STATUS_DESC, DisputeStatus } from '../../domain/dispute.ts';
import type { WireBody } from '../../domain/signature.ts';
import { DISPUTE_NO, PLAT_FORM_TRADE_NO, TRADE_NO, absent, text } from '../fields.ts';
import { readOrderReference, type OrderReference } from '../order-reference.ts';
import { ORDER_DISPUTES_SCHEMA } from '../dispute-view.ts';
import { envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const DISPUTE_QUERY_REQUEST = signedRequest(
  { tradeNo: TRADE_NO, platFormTradeNo: PLAT_FORM_TRADE_NO, disputeNo: DISPUTE_NO },
  [],
  'One of `disputeNo`, `tradeNo` and `platFormTradeNo` is required.',
);

export interface DisputeQuery {
  disputeNo?: string;
  order?: OrderReference;
}

/** Reads the body of `POST /v1/dispute/query`: a disputeNo, the order by tradeNo or platFormTradeNo, or both (then they must agree). */
export function readDisputeQuery(body: WireBody): DisputeQuery {
  const query: DisputeQuery = {};
  if (!absent(body, 'disputeNo')) query.disputeNo = text(body, 'disputeNo', DISPUTE_QUERY_REQUEST.properties.disputeNo);
  if (!absent(body, 'tradeNo') || !absent(body, 'platFormTradeNo')) query.order = readOrderReference(body, DISPUTE_QUERY_REQUEST.properties);
  if (!query.disputeNo && !query.order) throw missingParameter('disputeNo, tradeNo or platFormTradeNo');
  return query;
}

const OPEN_DISPUTE = {
  disputeNo: 'dp4k2m9x0a1b2c3d',
  status: DisputeStatus.Open,
  desc: DISPUTE_STATUS_DESC[DisputeStatus.Open],
  message: 'FRAUDULENT',
  amount: '300.00',
  currency: 'USD',
  evidenceDueBy: '2026-11-26 09:25:17',
  createdTime: '2026-11-19 09:25:17',
  closedTime: null,
};

export const DISPUTE_QUERY_OPERATION: OperationDoc = {
  operationId: 'queryDisputes',
  tag: 'Disputes',
  summary: "Query an order's disputes",
  description:
    "By `disputeNo`, or by the order's `tradeNo` or `platFormTradeNo` (given together, they must name the same order, else `8000`): the order's disputes (chargebacks), oldest first. While one is open (`0015`) its amount is held in the balance's `freezeAmount` and the order cannot be refunded (`8011`); a won one (`0000`) gives the amount back to `availableAmount`; a lost one (`00029`) takes it, plus your dispute fee. Unknown order or dispute (or another merchant's): `8009`.",
  request: DISPUTE_QUERY_REQUEST,
  requestExamples: {
    byOrder: { summary: 'By tradeNo', value: { tradeNo: 'ORDER-1001', timestamp: '1795629917077', sign: '0f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d' } },
    byDispute: { summary: 'By disputeNo', value: { disputeNo: 'dp4k2m9x0a1b2c3d', timestamp: '1795629917077', sign: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d' } },
  },
  data: ORDER_DISPUTES_SCHEMA,
  answerDescription: "The order and its disputes.",
  answerExamples: {
    open: { summary: '0000 one open dispute', value: envelopeOk({ tradeNo: 'ORDER-1001', platFormTradeNo: '7zbnhv6xo47lyuo7', disputes: [OPEN_DISPUTE] }, 1795629917086) },
    notFound: { summary: '8009 no such dispute', value: envelopeError(BusinessCode.NotFound, 'dispute dp0000000000none not found', 1795629917090) },
  },
};
