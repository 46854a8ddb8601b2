import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { findDispute, listDisputesOfOrder } from '../../store/disputes.ts';
import { findOrderByNo } from '../../store/orders.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { orderDisputesView } from '../dispute-view.ts';
import { routeSchema } from '../wire-schema.ts';
import { DISPUTE_QUERY_OPERATION, readDisputeQuery } from './schema.ts';

/** `POST /v1/dispute/query`: an order's disputes, named by the order or by one of its disputes. */
export const DISPUTE_QUERY_PATHS = ['/v1/dispute/query'];

export function disputeQueryRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(DISPUTE_QUERY_PATHS[0]!, { schema: routeSchema(DISPUTE_QUERY_OPERATION, DISPUTE_QUERY_PATHS, DISPUTE_QUERY_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const query = readDisputeQuery(body);
    const order = query.order ? await findMerchantOrder(context, merchant.merchant_no, query.order) : undefined;
    const ofDispute = query.disputeNo ? await orderOfDispute(context, merchant.merchant_no, query.disputeNo) : undefined;
    if (order && ofDispute && order.plat_form_trade_no !== ofDispute.plat_form_trade_no) {
      throw new PayrailError(BusinessCode.OrderError, `dispute ${query.disputeNo} is not about order ${query.order?.tradeNo ?? query.order?.platFormTradeNo}`);
    }
    const named = (order ?? ofDispute)!;
    return success(orderDisputesView(named, await listDisputesOfOrder(context.db, named.plat_form_trade_no)));
  });
}

/** The order a merchant's dispute is about: 8009 when the disputeNo is unknown or another merchant's. */
async function orderOfDispute(context: GatewayContext, merchantNo: string, disputeNo: string) {
  const dispute = await findDispute(context.db, disputeNo, merchantNo);
  if (!dispute) throw new PayrailError(BusinessCode.NotFound, `dispute ${disputeNo} not found`);
  const order = await findOrderByNo(context.db, dispute.order_no);
  if (!order) throw new Error(`dispute ${dispute.dispute_no} has no order ${dispute.order_no}`);
  return order;
}
