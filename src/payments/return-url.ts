import { signBody, HMAC_SIGN_TYPE, type AppSecret, type SaltPlacement, type SignType, type WireBody } from '../domain/signature.ts';
import type { OrderRow } from '../store/orders.ts';

/**
 * The merchant's returnUrl with `tradeNo`, `platFormTradeNo`, `status`, `timestamp` and `sign`
 * appended, signed like a notification, so the merchant's page can trust what it shows.
 */
export function signedReturnUrl(order: OrderRow, signing: { secret: AppSecret; placement: SaltPlacement; signType: SignType }, now: Date): string {
  const fields: WireBody = {
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    status: order.status,
    timestamp: String(now.getTime()),
  };
  if (signing.signType === HMAC_SIGN_TYPE) fields.signType = HMAC_SIGN_TYPE;
  const url = new URL(order.return_url);
  for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value as string);
  url.searchParams.set('sign', signBody(fields, signing.secret, signing));
  return url.toString();
}
