import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { orderView } from '../order-view.ts';
import { refundedCents } from '../../store/refunds.ts';
import { latestDisputeStatus } from '../../store/disputes.ts';
import { routeSchema } from '../wire-schema.ts';
import { QUERY_OPERATION, readQueryOrder } from './schema.ts';

export const QUERY_PATHS = ['/v1/checkout/query', '/v1/:provider/queryPayInResult'];

export function queryRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of QUERY_PATHS) {
    app.post(path, { schema: routeSchema(QUERY_OPERATION, QUERY_PATHS, path) }, async (request) => {
      const { merchant, body } = await authenticate(context, request);
      const order = await findMerchantOrder(context, merchant.merchant_no, readQueryOrder(body));
      return success(orderView(order, await refundedCents(context.db, order.plat_form_trade_no), merchant.status_set, await latestDisputeStatus(context.db, order.plat_form_trade_no)));
    });
  }
}
