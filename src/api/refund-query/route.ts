import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { findOrderByNo } from '../../store/orders.ts';
import { findRefund, refundedCents } from '../../store/refunds.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { REFUND_QUERY_OPERATION, readRefundQuery } from './schema.ts';
import { refundView } from '../refund-view.ts';

/** `POST /v1/refund/query`: one refund by the merchant's refundNo. */
const REFUND_QUERY_PATHS = ['/v1/refund/query'];

export function refundQueryRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(REFUND_QUERY_PATHS[0]!, { schema: routeSchema(REFUND_QUERY_OPERATION, REFUND_QUERY_PATHS, REFUND_QUERY_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const { refundNo } = readRefundQuery(body);
    const refund = await findRefund(context.db, merchant.merchant_no, refundNo);
    if (!refund) throw new PayrailError(BusinessCode.NotFound, `refund ${refundNo} not found`);
    const order = await findOrderByNo(context.db, refund.order_no);
    if (!order) throw new Error(`refund ${refund.id} has no order ${refund.order_no}`);
    return success(refundView(refund, order, await refundedCents(context.db, order.plat_form_trade_no)));
  });
}
