import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { requeueLatestNotification, requeuePayoutNotification } from '../../store/jobs.ts';
import { findOrder } from '../../store/orders.ts';
import { findPayout } from '../../store/payouts.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { NOTIFY_RESEND_OPERATION, readNotifyResend } from './schema.ts';

const NOTIFY_RESEND_PATHS = ['/v1/notify/resend'];

/**
 * `POST /v1/notify/resend`: queue the latest notification of an order again, even an
 * acknowledged one; or, when the reference names no order, the PAYOUT notification of a payout.
 */
export function notifyResendRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(NOTIFY_RESEND_PATHS[0]!, { schema: routeSchema(NOTIFY_RESEND_OPERATION, NOTIFY_RESEND_PATHS, NOTIFY_RESEND_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const reference = readNotifyResend(body);
    const name = reference.tradeNo ?? reference.platFormTradeNo;
    const order = await findOrder(context.db, merchant.merchant_no, reference);
    if (order) {
      if (reference.platFormTradeNo !== undefined && order.plat_form_trade_no !== reference.platFormTradeNo) {
        throw new PayrailError(BusinessCode.OrderError, `tradeNo ${reference.tradeNo} and platFormTradeNo ${reference.platFormTradeNo} name different orders`);
      }
      const notifyId = await requeueLatestNotification(context.db, order.plat_form_trade_no);
      if (!notifyId) throw new PayrailError(BusinessCode.StateForbidsOperation, `order ${name} has no notification yet`);
      context.waker.wake();
      return success({ tradeNo: order.trade_no, platFormTradeNo: order.plat_form_trade_no, notifyId });
    }
    const payout = await findPayout(context.db, merchant.merchant_no, reference);
    if (!payout) throw new PayrailError(BusinessCode.NotFound, `order ${name} not found`);
    const notifyId = await requeuePayoutNotification(context.db, payout.id);
    if (!notifyId) throw new PayrailError(BusinessCode.StateForbidsOperation, `payout ${name} has no notification yet`);
    context.waker.wake();
    return success({ tradeNo: payout.trade_no, platFormTradeNo: payout.plat_form_trade_no, notifyId });
  });
}
