import { missingParameter } from '../domain/errors.ts';
import type { WireBody } from '../domain/signature.ts';
import type { OrderReference } from '../store/orders.ts';
import { PLAT_FORM_TRADE_NO, TRADE_NO, text } from './fields.ts';

/** `tradeNo` or `platFormTradeNo`, whichever the merchant sent (tradeNo first when both are). */
export function readOrderReference(body: WireBody): OrderReference {
  const absent = (value: unknown) => value === undefined || value === null || value === '';
  if (!absent(body.tradeNo)) return { tradeNo: text(body, 'tradeNo', TRADE_NO) };
  if (!absent(body.platFormTradeNo)) return { platFormTradeNo: text(body, 'platFormTradeNo', PLAT_FORM_TRADE_NO) };
  throw missingParameter('tradeNo or platFormTradeNo');
}
