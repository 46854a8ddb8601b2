import type { GatewayContext } from '../context.ts';
import { OrderStatus } from '../domain/order-status.ts';
import { findOrderByNo, markOrderClosed, type OrderRow } from '../store/orders.ts';

/** A close answered: the order closed (now, or before), or refused because it is paid, paying or ended otherwise. */
export type CloseOutcome = { readonly kind: 'closed'; readonly order: OrderRow; readonly closedNow: boolean } | { readonly kind: 'refused'; readonly order: OrderRow };

/**
 * Closes an unpaid order with no payment under way, for the API and the console alike. Closing
 * twice is answered like closing once, also when another request closed it first; the workers are
 * woken for the notification the close queued.
 */
export async function closeOrder(context: GatewayContext, order: OrderRow): Promise<CloseOutcome> {
  if (order.status === OrderStatus.Closed) return { kind: 'closed', order, closedNow: false };
  const closed = await markOrderClosed(context.db, order.plat_form_trade_no, context.now());
  if (closed) {
    context.waker.wake();
    return { kind: 'closed', order: closed, closedNow: true };
  }
  // Someone else moved the order first.
  const current = (await findOrderByNo(context.db, order.plat_form_trade_no)) ?? order;
  return current.status === OrderStatus.Closed ? { kind: 'closed', order: current, closedNow: false } : { kind: 'refused', order: current };
}
