import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { requeueNotification } from '../../store/jobs.ts';
import { findScopedNotification, listUnacknowledged } from '../../store/console/list-notifications.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderNotificationsPage } from '../templates/notifications-page.ts';

const NOTIFY_ID = /^[0-9a-f]{32}$/;
const PAGE_SIZE = 50;
const NOTICES: Readonly<Record<string, string>> = {
  resent: 'The notification is queued again and will be sent now.',
};

export function notificationRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/notifications', async (request, reply) => {
    const after = formField(request.query, 'after');
    const { notifications, next } = await listUnacknowledged(context.readDb, request.admin!.scope, { after: NOTIFY_ID.test(after) ? after : undefined, limit: PAGE_SIZE });
    return sendPage(
      reply,
      renderNotificationsPage({
        admin: pageAdmin(request, reply),
        notifications,
        notice: NOTICES[formField(request.query, 'notice')],
        nextQuery: next && new URLSearchParams({ after: next }).toString(),
        later: Boolean(after),
      }),
    );
  });

  app.post('/dashboard/notifications/:notifyId/resend', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { notifyId } = request.params as { notifyId: string };
    const found = NOTIFY_ID.test(notifyId) ? await findScopedNotification(context.db, request.admin!.scope, notifyId) : undefined;
    if (!found) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    await requeueNotification(context.db, notifyId);
    context.waker.wake();
    await auditAction(context, request, { action: 'notification.resend', target: notifyId, merchantNo: found.merchantNo });
    return reply.redirect('/dashboard/notifications?notice=resent', 303);
  });
}
