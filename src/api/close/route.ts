import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { closeOrder } from '../../store/orders.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { CLOSE_OPERATION, readCloseOrder } from './schema.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { orderView } from '../order-view.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { ZERO_CENTS } from '../../domain/money.ts';

const CLOSE_PATHS = ['/v1/checkout/close'];

export function closeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CLOSE_PATHS[0]!, { schema: routeSchema(CLOSE_OPERATION, CLOSE_PATHS, CLOSE_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const { tradeNo } = readCloseOrder(body);
    const order = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    const closed = order.status === OrderStatus.Closed ? order : await closeOrder(context.db, order.plat_form_trade_no, context.now());
    if (closed) {
      context.waker.wake();
      return success(orderView(closed, ZERO_CENTS, merchant.status_set));
    }
    // Someone else moved the order first; closing twice is answered like closing once.
    const current = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    if (current.status === OrderStatus.Closed) return success(orderView(current, ZERO_CENTS, merchant.status_set));
    throw new PayrailError(
      BusinessCode.StateForbidsOperation,
      `order ${tradeNo} cannot be closed: only an unpaid order with no payment under way can be`,
    );
  });
}
