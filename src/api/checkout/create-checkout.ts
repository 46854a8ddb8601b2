import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { newOrderNo, newPaymentToken } from '../../domain/ids.ts';
import type { WireBody } from '../../domain/signature.ts';
import { requestHash } from '../request-hash.ts';
import { insertOrder, type CheckoutOrder } from '../../store/orders.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import type { CreateCheckoutInput } from './schema.ts';
import { wireStatus } from '../../domain/order-status.ts';

export const paymentUrl = (publicUrl: string, order: Pick<CheckoutOrder, 'payment_token'>) => `${publicUrl}/checkout?data=${order.payment_token}`;

/**
 * Creates the order, or answers the existing one when the merchant sends the same request again.
 * The same tradeNo with any other field changed is refused with 8005.
 */
export async function createCheckout(
  context: GatewayContext,
  merchant: MerchantRow,
  body: WireBody,
  input: CreateCheckoutInput,
) {
  const hash = requestHash(body);
  const now = context.now();
  const { order, created } = await insertOrder(context.db, context.orderBatcher, {
    plat_form_trade_no: newOrderNo(),
    merchant_no: merchant.merchant_no,
    trade_no: input.tradeNo,
    request_hash: hash,
    amount_cents: input.amount,
    currency: input.currency,
    mobile: input.mobile,
    email: input.email,
    user_id: input.userId,
    notify_url: input.notifyUrl,
    return_url: input.returnUrl,
    remark: input.remark,
    customer_id: input.customerId,
    save_card: input.saveCard,
    payment_token: newPaymentToken(),
    expires_at: new Date(now.getTime() + context.config.orderTtlMinutes * 60_000),
  });
  if (!created && order.request_hash !== hash) {
    throw new PayrailError(BusinessCode.DuplicateReference, `tradeNo ${input.tradeNo} was already used with different parameters`);
  }
  if (created) context.metrics.ordersCreated.inc();
  const url = paymentUrl(context.config.publicUrl, order);
  return {
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: input.tradeNo,
    // A repeated create answers the order as it is now, which may have ended.
    status: wireStatus(order.status, merchant.status_set),
    desc: order.status_desc,
    remark: order.remark,
    paymentUrl: url,
    // The family's newer name for the same URL; public family merchant code reads it.
    paymentLink: url,
  };
}
