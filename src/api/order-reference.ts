import { missingParameter } from '../domain/errors.ts';
import type { WireBody } from '../domain/signature.ts';
import { PLAT_FORM_TRADE_NO, TRADE_NO, text } from './fields.ts';

export interface OrderReference {
  tradeNo?: string;
  platFormTradeNo?: string;
}

const absent = (value: unknown) => value === undefined || value === null || value === '';

/** `tradeNo`, `platFormTradeNo`, or both (then they must name the same order). */
export function readOrderReference(body: WireBody): OrderReference {
  const reference: OrderReference = {};
  if (!absent(body.tradeNo)) reference.tradeNo = text(body, 'tradeNo', TRADE_NO);
  if (!absent(body.platFormTradeNo)) reference.platFormTradeNo = text(body, 'platFormTradeNo', PLAT_FORM_TRADE_NO);
  if (!reference.tradeNo && !reference.platFormTradeNo) throw missingParameter('tradeNo or platFormTradeNo');
  return reference;
}
