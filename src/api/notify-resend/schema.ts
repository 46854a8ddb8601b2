import { Type } from '@sinclair/typebox';
import { BusinessCode } from '../../domain/errors.ts';
import type { WireBody } from '../../domain/signature.ts';
import { PLAT_FORM_TRADE_NO, TRADE_NO, absent, describedAs, text } from '../fields.ts';
import type { OrderReference } from '../order-reference.ts';
import { envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const NOTIFY_RESEND_REQUEST = signedRequest(
  {
    tradeNo: describedAs(TRADE_NO, 'Your order number; when no order has it, your payout id (docs/api.md, Payouts).', 'ORDER-1001'),
    platFormTradeNo: describedAs(PLAT_FORM_TRADE_NO, "The gateway's order or payout id, instead of `tradeNo` (or with it: then both must name the same order or payout).", 'q8m2x0c4v7b1n5k9'),
  },
  [],
  '`tradeNo`, or `platFormTradeNo`.',
);

/** Reads the body of `POST /v1/notify/resend`: which order or payout, by tradeNo or platFormTradeNo. */
export function readNotifyResend(body: WireBody): OrderReference {
  const rules = NOTIFY_RESEND_REQUEST.properties;
  const reference: OrderReference = {};
  if (!absent(body, 'platFormTradeNo')) reference.platFormTradeNo = text(body, 'platFormTradeNo', rules.platFormTradeNo);
  // Without platFormTradeNo, tradeNo is required (and named so, as before platFormTradeNo was accepted).
  if (!reference.platFormTradeNo || !absent(body, 'tradeNo')) reference.tradeNo = text(body, 'tradeNo', rules.tradeNo);
  return reference;
}

const NOTIFY_RESENT = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  notifyId: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The notification queued again.' }),
});

export const NOTIFY_RESEND_OPERATION: OperationDoc = {
  operationId: 'notifyResend',
  tag: 'Notifications',
  summary: "Queue an order's or a payout's latest notification again",
  description:
    "Queues the order's latest notification (a `PAYMENT` one, or a `REFUND` one if a refund ended since) again, even one already acknowledged, with a fresh retry schedule and the same `notifyId`; its earlier attempts stay recorded. Answers the `notifyId`. A payout's `PAYOUT` notification is resent the same way: name the payout by its `tradeNo` (used when no order has that `tradeNo`) or by its `platFormTradeNo`. Unknown order or payout: `8009`. One with no notification yet (an open order, a payout still processing): `8010`. The CLI equivalent is `payrail notify resend TRADE_NO --merchant NO`.",
  request: NOTIFY_RESEND_REQUEST,
  requestExamples: {
    resend: { summary: 'By tradeNo', value: { tradeNo: 'ORDER-1001', timestamp: '1795629918639', sign: '0a9561d8e7348e56c2fabb30c2775991' } },
    payout: { summary: "A payout's, by its platFormTradeNo", value: { platFormTradeNo: 'q8m2x0c4v7b1n5k9', timestamp: '1795630024001', sign: '9b8a7c6d5e4f30211203f4e5d6c7b8a9' } },
  },
  data: NOTIFY_RESENT,
  answerDescription: 'The notification queued.',
  answerExamples: {
    queued: {
      summary: '0000 queued (here the REFUND notification, the latest)',
      value: envelopeOk({ tradeNo: 'ORDER-1001', platFormTradeNo: '7zbnhv6xo47lyuo7', notifyId: '649a81c6baf1bb26951f90c11a2d3834' }, 1795629918654),
    },
    payout: {
      summary: "0000 a payout's PAYOUT notification queued",
      value: envelopeOk({ tradeNo: 'PAYOUT-2001', platFormTradeNo: 'q8m2x0c4v7b1n5k9', notifyId: '1c0e7d2a9b3f4e5d6c7b8a9f0e1d2c3b' }, 1795630024012),
    },
    noNotification: { summary: '8010 the order has no notification yet', value: envelopeError(BusinessCode.StateForbidsOperation, 'order ORDER-1001-2 has no notification yet', 1795629918713) },
    notFound: { summary: '8009 no such order or payout', value: envelopeError(BusinessCode.NotFound, 'order ORDER-1001-none not found', 1795629918679) },
  },
};
