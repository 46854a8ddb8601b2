import { missingParameter } from '../domain/errors.ts';
import type { WireBody } from '../domain/signature.ts';
import { absent, text, type FieldRule } from './fields.ts';

export interface OrderReference {
  tradeNo?: string;
  platFormTradeNo?: string;
}

/** `tradeNo`, `platFormTradeNo`, or both (then they must name the same order), by the operation's rules for them. */
export function readOrderReference(body: WireBody, rules: { tradeNo: FieldRule; platFormTradeNo: FieldRule }): OrderReference {
  const reference: OrderReference = {};
  if (!absent(body, 'tradeNo')) reference.tradeNo = text(body, 'tradeNo', rules.tradeNo);
  if (!absent(body, 'platFormTradeNo')) reference.platFormTradeNo = text(body, 'platFormTradeNo', rules.platFormTradeNo);
  if (!reference.tradeNo && !reference.platFormTradeNo) throw missingParameter('tradeNo or platFormTradeNo');
  return reference;
}
