import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { closeOrder } from '../../payments/close-order.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { CLOSE_OPERATION, readCloseOrder } from './schema.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { orderView } from '../order-view.ts';
import { ZERO_CENTS } from '../../domain/money.ts';

const CLOSE_PATHS = ['/v1/checkout/close'];

export function closeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CLOSE_PATHS[0]!, { schema: routeSchema(CLOSE_OPERATION, CLOSE_PATHS, CLOSE_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const { tradeNo } = readCloseOrder(body);
    const order = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    const outcome = await closeOrder(context, order);
    if (outcome.kind === 'closed') return success(orderView(outcome.order, ZERO_CENTS, merchant.status_set));
    throw new PayrailError(
      BusinessCode.StateForbidsOperation,
      `order ${tradeNo} cannot be closed: only an unpaid order with no payment under way can be`,
    );
  });
}
