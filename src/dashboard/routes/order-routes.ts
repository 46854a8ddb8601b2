import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import { requeueLatestNotification } from '../../store/jobs.ts';
import { listOrders } from '../../store/list-orders.ts';
import { listMerchantNames } from '../../store/merchants.ts';
import { findOrderInScope, loadOrderDetail } from '../../store/order-detail.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendNotFound, sendPage } from '../respond.ts';
import { ORDER_STATUS_LABELS } from '../templates/format.ts';
import { renderOrderPage } from '../templates/order-page.ts';
import { renderOrdersPage } from '../templates/orders-page.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';

const PAGE_SIZE = 50;
const ORDER_NO = /^[0-9a-z]{16}$/;
const isStatus = (value: string): value is OrderStatus => Object.hasOwn(ORDER_STATUS_LABELS, value);

const NOTICES: Readonly<Record<string, string>> = {
  resent: 'The latest notification is queued again and will be sent now.',
  none: 'This order has no notification to resend yet.',
};

export function orderRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/orders', async (request, reply) => {
    const scope = request.admin!.scope;
    const status = formField(request.query, 'status');
    const filter = {
      merchantNo: formField(request.query, 'merchant') || undefined,
      status: isStatus(status) ? status : undefined,
      search: formField(request.query, 'q').slice(0, 64) || undefined,
    };
    const after = formField(request.query, 'after');
    const [{ orders, next }, merchants] = await Promise.all([
      listOrders(context.readDb, scope, { ...filter, after: ORDER_NO.test(after) ? after : undefined, limit: PAGE_SIZE }),
      listMerchantNames(context.readDb, scope),
    ]);
    const filterQuery = (extra: Record<string, string> = {}) => {
      const query = new URLSearchParams();
      if (filter.merchantNo) query.set('merchant', filter.merchantNo);
      if (filter.status) query.set('status', filter.status);
      if (filter.search) query.set('q', filter.search);
      for (const [key, value] of Object.entries(extra)) query.set(key, value);
      return query.toString();
    };
    return sendPage(
      reply,
      renderOrdersPage({
        admin: pageAdmin(request, reply),
        orders,
        merchants,
        filter,
        nextQuery: next && filterQuery({ after: next }),
        firstQuery: after ? filterQuery() : undefined,
      }),
    );
  });

  app.get('/dashboard/orders/:orderNo', async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const detail = ORDER_NO.test(orderNo) ? await loadOrderDetail(context.readDb, request.admin!.scope, orderNo) : undefined;
    const admin = pageAdmin(request, reply);
    if (!detail) return sendPage(reply, renderNotFoundPage({ admin, what: 'order' }), 404);
    const notice = NOTICES[formField(request.query, 'notice')];
    return sendPage(reply, renderOrderPage({ admin, detail, notice }));
  });

  app.post('/dashboard/orders/:orderNo/resend', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const scope = request.admin!.scope;
    const order = ORDER_NO.test(orderNo) ? await findOrderInScope(context.db, scope, orderNo) : undefined;
    if (!order) return sendNotFound(reply);
    const notifyId = await requeueLatestNotification(context.db, scope, orderNo);
    await auditAction(context, request, { action: 'order.resend-notification', target: orderNo, merchantNo: order.merchant_no, outcome: notifyId ? 'ok' : 'refused' });
    if (notifyId) {
      context.waker.wake();
      context.log.info({ adminId: request.admin?.id, orderNo, notifyId }, 'dashboard resent a notification');
    }
    return reply.redirect(`/dashboard/orders/${orderNo}?notice=${notifyId ? 'resent' : 'none'}`, 303);
  });
}
