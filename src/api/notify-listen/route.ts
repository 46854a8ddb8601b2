import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { notificationCursorNow, notificationsAfter, type NotificationCursor } from '../../store/jobs.ts';
import { merchantSigning } from '../../store/merchants.ts';
import { findOrder } from '../../store/orders.ts';
import { findPayoutById } from '../../store/payouts.ts';
import { buildNotification, type NotificationBody } from '../../jobs/notify/payload.ts';
import { orderJobFacts, payoutFacts } from '../../jobs/notify/send-notification.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { NOTIFY_LISTEN_OPERATION, readNotifyListen } from './schema.ts';

const POLL_MS = 250;
const MAX_NOTIFICATIONS = 50;
const NOTIFY_LISTEN_PATHS = ['/v1/notify/listen'];

const writeCursor = (cursor: NotificationCursor) => (cursor.id ? `${cursor.micros}.${cursor.id}` : cursor.micros);

/**
 * `POST /v1/notify/listen`: a long poll over the merchant's notifications (payments, refunds
 * and payouts), for `payrail listen --forward-to`. Answers those queued after `cursor` (or,
 * without one, after now), each built and signed as it would be POSTed to the notifyUrl, and
 * the cursor to pass next. Waits up to `waitSeconds` for the first one by asking the database,
 * so any node can answer any call.
 */
export function notifyListenRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(NOTIFY_LISTEN_PATHS[0]!, { schema: routeSchema(NOTIFY_LISTEN_OPERATION, NOTIFY_LISTEN_PATHS, NOTIFY_LISTEN_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const input = readNotifyListen(body);
    let cursor = input.cursor ?? (await notificationCursorNow(context.db));

    const deadline = Date.now() + input.waitMs;
    let found = await notificationsAfter(context.db, merchant.merchant_no, cursor, MAX_NOTIFICATIONS);
    if (found.length === 0 && Date.now() < deadline) {
      context.metrics.listenWaiting.inc();
      try {
        while (found.length === 0 && Date.now() < deadline && !request.raw.socket.destroyed) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          found = await notificationsAfter(context.db, merchant.merchant_no, cursor, MAX_NOTIFICATIONS);
        }
      } finally {
        context.metrics.listenWaiting.dec();
      }
    }

    const signing = merchantSigning(merchant, context.masterKey, context.now());
    const notifications: NotificationBody[] = [];
    for (const { job, cursor: next } of found) {
      cursor = next;
      if (job.payout_id !== null) {
        const payout = await findPayoutById(context.db, job.payout_id);
        if (payout?.merchant_no === merchant.merchant_no) notifications.push(buildNotification(payoutFacts(job, payout), signing, context.now()));
        continue;
      }
      if (job.order_no === null) continue;
      const order = await findOrder(context.db, merchant.merchant_no, { platFormTradeNo: job.order_no });
      if (!order) continue;
      notifications.push(buildNotification(await orderJobFacts(context, job, order, merchant.status_set), signing, context.now()));
    }
    return success({ cursor: writeCursor(cursor), notifications });
  });
}
