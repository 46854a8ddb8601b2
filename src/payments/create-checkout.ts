import type { GatewayContext } from '../context.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { newOrderNo, newPaymentToken } from '../domain/ids.ts';
import type { Cents } from '../domain/money.ts';
import type { SaveCard } from '../domain/saved-card.ts';
import { insertOrder, type CheckoutOrder } from '../store/orders.ts';

/** What a merchant asks for when it creates a checkout, read and checked (api/checkout/schema.ts). */
export interface CheckoutRequest {
  readonly tradeNo: string;
  readonly amount: Cents;
  readonly currency: string;
  readonly mobile: string;
  readonly email: string;
  readonly userId: string;
  readonly notifyUrl: string;
  readonly returnUrl: string;
  readonly remark: string | null;
  /** Cards on file: the merchant's customer, and whether the cashier saves the card. */
  readonly customerId?: string | null;
  readonly saveCard?: SaveCard | null;
}

/**
 * Creates the order, or answers the existing one when the merchant sends the same request again
 * (the same `requestHash`). The same tradeNo with any other field changed is refused with 8005.
 */
export async function createCheckout(context: GatewayContext, merchantNo: string, request: CheckoutRequest, requestHash: string): Promise<CheckoutOrder> {
  const now = context.now();
  const { order, created } = await insertOrder(context.db, context.orderBatcher, {
    plat_form_trade_no: newOrderNo(),
    merchant_no: merchantNo,
    trade_no: request.tradeNo,
    request_hash: requestHash,
    amount_cents: request.amount,
    currency: request.currency,
    mobile: request.mobile,
    email: request.email,
    user_id: request.userId,
    notify_url: request.notifyUrl,
    return_url: request.returnUrl,
    remark: request.remark,
    customer_id: request.customerId ?? null,
    save_card: request.saveCard ?? null,
    payment_token: newPaymentToken(),
    expires_at: new Date(now.getTime() + context.config.orderTtlMinutes * 60_000),
  });
  if (!created && order.request_hash !== requestHash) {
    throw new PayrailError(BusinessCode.DuplicateReference, `tradeNo ${request.tradeNo} was already used with different parameters`);
  }
  if (created) context.metrics.ordersCreated.inc();
  // A repeated create answers the order as it is now, which may have ended.
  const { plat_form_trade_no, status, status_desc, remark, payment_token, request_hash } = order;
  return { plat_form_trade_no, status, status_desc, remark, payment_token, request_hash };
}
