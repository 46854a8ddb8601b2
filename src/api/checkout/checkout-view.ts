import { wireStatus, type StatusSet } from '../../domain/order-status.ts';
import type { CheckoutOrder } from '../../store/orders.ts';

export const paymentUrl = (publicUrl: string, order: Pick<CheckoutOrder, 'payment_token'>) => `${publicUrl}/checkout?data=${order.payment_token}`;

/** What `POST /v1/checkout` answers about the order it created or found. */
export function checkoutView(order: CheckoutOrder, tradeNo: string, statusSet: StatusSet, publicUrl: string) {
  const url = paymentUrl(publicUrl, order);
  return {
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo,
    status: wireStatus(order.status, statusSet),
    desc: order.status_desc,
    remark: order.remark,
    paymentUrl: url,
    // The family's newer name for the same URL; public family merchant code reads it.
    paymentLink: url,
  };
}
