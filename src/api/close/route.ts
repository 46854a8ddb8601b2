import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { closeOrder, findOrder } from '../../store/orders.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { TRADE_NO, text } from '../fields.ts';
import { orderView } from '../order-view.ts';

export function closeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post('/v1/checkout/close', async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const tradeNo = text(body, 'tradeNo', TRADE_NO);
    const order = await findOrder(context.db, merchant.merchant_no, { tradeNo });
    if (!order) throw new PayrailError(BusinessCode.NotFound, `order ${tradeNo} not found`);
    if (order.status === '00031') return success(orderView(order, 0));
    const closed = await closeOrder(context.db, order.plat_form_trade_no);
    if (!closed) {
      throw new PayrailError(
        BusinessCode.StateForbidsOperation,
        `order ${tradeNo} cannot be closed: it is ${order.status_desc === 'PROCESSING' ? 'being paid' : 'final'}`,
      );
    }
    return success(orderView(closed, 0));
  });
}
