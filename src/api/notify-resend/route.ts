import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { requeueLatestNotification } from '../../store/jobs.ts';
import { oneMerchant } from '../../domain/console-scope.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { TRADE_NO, text } from '../fields.ts';
import { findMerchantOrder } from '../find-merchant-order.ts';

/** `POST /v1/notify/resend`: queue the latest notification of an order again, even an acknowledged one. */
export function notifyResendRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post('/v1/notify/resend', async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const tradeNo = text(body, 'tradeNo', TRADE_NO);
    const order = await findMerchantOrder(context, merchant.merchant_no, { tradeNo });
    const notifyId = await requeueLatestNotification(context.db, oneMerchant(merchant.merchant_no), order.plat_form_trade_no);
    if (!notifyId) throw new PayrailError(BusinessCode.StateForbidsOperation, `order ${tradeNo} has no notification yet`);
    context.waker.wake();
    return success({ tradeNo, platFormTradeNo: order.plat_form_trade_no, notifyId });
  });
}
