import type { Cents } from '../../domain/money.ts';
import type { WireBody } from '../../domain/signature.ts';
import { AMOUNT, amountOf, PLAT_FORM_TRADE_NO, TRADE_NO, describedAs, optionalText, text, textRule } from '../fields.ts';
import { readOrderReference, type OrderReference } from '../order-reference.ts';
import { REFUND_SCHEMA } from '../refund-view.ts';
import { notificationCallback, signedRequest, type OperationDoc } from '../wire-schema.ts';
import { REFUND_ANSWER_EXAMPLES, REFUND_NOTIFICATION, REFUND_REQUEST_EXAMPLES } from './examples.ts';

export const REFUND_REQUEST = signedRequest(
  {
    tradeNo: TRADE_NO,
    platFormTradeNo: PLAT_FORM_TRADE_NO,
    refundNo: describedAs(TRADE_NO, 'Your refund id: 1–64 of `A-Z a-z 0-9 _ -`, unique per merchant.', 'REFUND-1001-1'),
    amount: { ...AMOUNT, examples: ['100.00'] },
    reason: textRule({ maxLength: 256 }, { description: 'Optional, at most 256 characters.', example: 'one seat returned' }),
  },
  ['refundNo', 'amount'],
  'One of `tradeNo` and `platFormTradeNo` is required.',
);

export interface RefundInput {
  order: OrderReference;
  refundNo: string;
  amount: Cents;
  reason: string | null;
}

/** Reads and checks the body of `POST /v1/refund`. */
export function parseRefund(body: WireBody): RefundInput {
  const rules = REFUND_REQUEST.properties;
  return {
    order: readOrderReference(body, rules),
    refundNo: text(body, 'refundNo', rules.refundNo),
    amount: amountOf(body),
    reason: optionalText(body, 'reason', rules.reason),
  };
}

export const REFUND_OPERATION: OperationDoc = {
  operationId: 'refund',
  tag: 'Refunds',
  summary: 'Refund a paid order, fully or partly',
  description:
    "Names the order by `tradeNo` or `platFormTradeNo`. `refundNo` is your refund id, unique per merchant, with the same idempotency rule as `tradeNo` (same fields: the same refund; other fields: `8005`). Only a paid order (`8010`); the refunds that have not failed can never add up to more than the paid amount (`8011`), checked under the order's lock. The answer carries the refund's status: `0000` SUCCESS, `00029` FAILED, or `0015` PROCESSING when the acquirer's answer is not known yet (the gateway reconciles it; query it or wait for the `REFUND` notification). The order's `status` does not change; its `refundedAmount` does. The customer gets a receipt email when a refund succeeds.",
  request: REFUND_REQUEST,
  requestExamples: REFUND_REQUEST_EXAMPLES,
  data: REFUND_SCHEMA,
  answerDescription: 'The refund, new or found again.',
  answerExamples: REFUND_ANSWER_EXAMPLES,
  callbacks: { refundNotification: notificationCallback('Refund notification (the refund ended)', REFUND_NOTIFICATION) },
};
