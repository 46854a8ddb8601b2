import type { GatewayContext } from '../context.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { findOrder } from '../store/orders.ts';
import type { OrderReference } from './order-reference.ts';

/** The merchant's order the reference names: 8009 when there is none, 8000 when tradeNo and platFormTradeNo disagree. */
export async function findMerchantOrder(context: GatewayContext, merchantNo: string, reference: OrderReference) {
  const order = await findOrder(context.db, merchantNo, reference);
  const name = reference.tradeNo ?? reference.platFormTradeNo;
  if (!order) throw new PayrailError(BusinessCode.NotFound, `order ${name} not found`);
  if (reference.platFormTradeNo !== undefined && order.plat_form_trade_no !== reference.platFormTradeNo) {
    throw new PayrailError(BusinessCode.OrderError, `tradeNo ${reference.tradeNo} and platFormTradeNo ${reference.platFormTradeNo} name different orders`);
  }
  return order;
}
