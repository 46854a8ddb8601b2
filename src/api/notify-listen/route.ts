import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { invalidParameter } from '../../domain/errors.ts';
import { textOf } from '../../domain/signature.ts';
import { notificationCursorNow, notificationsAfter, type NotificationCursor } from '../../store/jobs.ts';
import { merchantSigning } from '../../store/merchants.ts';
import { findRefund } from '../../store/refunds.ts';
import { findOrder } from '../../store/orders.ts';
import { buildNotification, type NotificationBody } from '../../jobs/notify/payload.ts';
import { paymentFacts, refundFacts } from '../../jobs/notify/send-notification.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';

const MAX_WAIT_SECONDS = 25;
const DEFAULT_WAIT_SECONDS = 20;
const POLL_MS = 250;
const MAX_NOTIFICATIONS = 50;
const CURSOR = /^([0-9]{1,20})(?:\.([0-9a-f]{32}))?$/;

function readCursor(value: string): NotificationCursor {
  const match = CURSOR.exec(value);
  if (!match) throw invalidParameter('cursor', 'must be a cursor answered by an earlier call');
  return { micros: match[1]!, id: match[2] ?? '' };
}

const writeCursor = (cursor: NotificationCursor) => (cursor.id ? `${cursor.micros}.${cursor.id}` : cursor.micros);

function readWait(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_SECONDS;
  if (!/^[0-9]{1,2}$/.test(value) || Number(value) > MAX_WAIT_SECONDS) throw invalidParameter('waitSeconds', `must be a whole number from 0 to ${MAX_WAIT_SECONDS}`);
  return Number(value);
}

/**
 * `POST /v1/notify/listen`: a long poll over the merchant's notifications, for
 * `payrail listen --forward-to`. Answers those queued after `cursor` (or, without one, after
 * now), each built and signed as it would be POSTed to the notifyUrl, and the cursor to pass
 * next. Waits up to `waitSeconds` for the first one by asking the database, so any node can
 * answer any call.
 */
export function notifyListenRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post('/v1/notify/listen', async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const given = body.cursor === undefined || body.cursor === null || body.cursor === '' ? undefined : textOf(body.cursor);
    if (given === undefined && body.cursor !== undefined && body.cursor !== null && body.cursor !== '') throw invalidParameter('cursor', 'must be a string');
    const waitMs = readWait(body.waitSeconds === undefined ? undefined : textOf(body.waitSeconds) ?? '-') * 1000;
    let cursor = given === undefined ? await notificationCursorNow(context.db) : readCursor(given);

    const deadline = Date.now() + waitMs;
    let found = await notificationsAfter(context.db, merchant.merchant_no, cursor, MAX_NOTIFICATIONS);
    while (found.length === 0 && Date.now() < deadline && !request.raw.socket.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      found = await notificationsAfter(context.db, merchant.merchant_no, cursor, MAX_NOTIFICATIONS);
    }

    const signing = merchantSigning(merchant, context.masterKey, context.now());
    const notifications: NotificationBody[] = [];
    for (const { job, cursor: next } of found) {
      cursor = next;
      if (job.order_no === null) continue; // payout notifications are not forwarded by listen yet
      const order = await findOrder(context.db, merchant.merchant_no, { platFormTradeNo: job.order_no });
      if (!order) continue;
      const refund = job.refund_no ? await findRefund(context.db, order.merchant_no, job.refund_no) : undefined;
      notifications.push(buildNotification(refund ? refundFacts(job, order, refund) : paymentFacts(job, order, merchant.status_set), signing, context.now()));
    }
    return success({ cursor: writeCursor(cursor), notifications });
  });
}
