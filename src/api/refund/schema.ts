import { parseAmount } from '../../domain/money.ts';
import type { Cents } from '../../domain/money.ts';
import type { WireBody } from '../../domain/signature.ts';
import { TRADE_NO, optionalText, required, text } from '../fields.ts';
import { readOrderReference, type OrderReference } from '../order-reference.ts';

export interface RefundInput {
  order: OrderReference;
  refundNo: string;
  amount: Cents;
  reason: string | null;
}

/** Reads and checks the body of `POST /v1/refund`. */
export function parseRefund(body: WireBody): RefundInput {
  return {
    order: readOrderReference(body),
    refundNo: text(body, 'refundNo', TRADE_NO),
    amount: parseAmount(required(body, 'amount')),
    reason: optionalText(body, 'reason', { max: 256 }),
  };
}
