import { signBody, HMAC_SIGN_TYPE, type AppSecret, type SaltPlacement, type SignType, type WireBody } from '../domain/signature.ts';
import type { OrderRow } from '../store/orders.ts';
import { wireStatus, type StatusSet } from '../domain/order-status.ts';

/**
 * The merchant's returnUrl with `tradeNo`, `platFormTradeNo`, `status`, `timestamp` and `sign`
 * appended, signed like a notification, so the merchant's page can trust what it shows. The
 * status is in the merchant's status set.
 */
export function signedReturnUrl(
  order: OrderRow,
  signing: { secret: AppSecret; placement: SaltPlacement; signType: SignType },
  now: Date,
  statusSet: StatusSet,
): string {
  const fields: WireBody = {
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    status: wireStatus(order.status, statusSet),
    timestamp: String(now.getTime()),
  };
  if (signing.signType === HMAC_SIGN_TYPE) fields.signType = HMAC_SIGN_TYPE;
  const url = new URL(order.return_url);
  // Set on a copy and written back once: each set on url.searchParams rewrites the URL's query.
  const query = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(fields)) query.set(key, value as string);
  query.set('sign', signBody(fields, signing.secret, signing));
  url.search = query.toString();
  return url.toString();
}
