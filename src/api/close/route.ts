import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { closeOrder } from '../../store/orders.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { TRADE_NO, text } from '../fields.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { orderView } from '../order-view.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { ZERO_CENTS } from '../../domain/money.ts';

export function closeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post('/v1/checkout/close', async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const tradeNo = text(body, 'tradeNo', TRADE_NO);
    const order = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    const closed = order.status === OrderStatus.Closed ? order : await closeOrder(context.db, order.plat_form_trade_no, context.now());
    if (closed) {
      context.waker.wake();
      return success(orderView(closed, ZERO_CENTS));
    }
    // Someone else moved the order first; closing twice is answered like closing once.
    const current = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    if (current.status === OrderStatus.Closed) return success(orderView(current, ZERO_CENTS));
    throw new PayrailError(
      BusinessCode.StateForbidsOperation,
      `order ${tradeNo} cannot be closed: only an unpaid order with no payment under way can be`,
    );
  });
}
