import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { resendNotification } from '../../jobs/notify/resend-notification.ts';
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
    const resent = await resendNotification(context.db, merchant.merchant_no, reference);
    context.waker.wake();
    return success(resent);
  });
}
