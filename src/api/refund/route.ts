import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { refundPayment } from '../../payments/refund-payment.ts';
import { refundedCents } from '../../store/refunds.ts';
import { authenticate } from '../authenticate.ts';
import { requestHash } from '../request-hash.ts';
import { success } from '../envelope.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';
import { refundView } from '../refund-view.ts';
import { routeSchema } from '../wire-schema.ts';
import { REFUND_OPERATION, parseRefund } from './schema.ts';

/** `POST /v1/refund`: give back all or part of a paid order. */
const REFUND_PATHS = ['/v1/refund'];

export function refundRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(REFUND_PATHS[0]!, { schema: routeSchema(REFUND_OPERATION, REFUND_PATHS, REFUND_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const input = parseRefund(body);
    const order = await findMerchantOrder(context, merchant.merchant_no, input.order);
    const refund = await refundPayment(context, {
      merchantNo: merchant.merchant_no,
      orderNo: order.plat_form_trade_no,
      refundNo: input.refundNo,
      amountCents: input.amount,
      reason: input.reason,
      requestHash: requestHash(body),
    });
    return success(refundView(refund, order, await refundedCents(context.db, order.plat_form_trade_no)));
  });
}
