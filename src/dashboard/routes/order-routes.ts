import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formatAmount } from '../../domain/money.ts';
import { requeueLatestNotification } from '../../store/jobs.ts';
import { eachOrder, listOrders, orderListExtras } from '../../store/console/list-orders.ts';
import { listMerchantNames } from '../../store/merchants.ts';
import { findScopedOrder, loadOrderDetail } from '../../store/console/order-detail.ts';
import { auditAction } from '../audit.ts';
import { sendCsv } from '../csv.ts';
import { filterQuery, parseOrderFilter } from '../order-filter.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { formatTime } from '../templates/format.ts';
import { renderOrderPage } from '../templates/order-page.ts';
import { renderOrdersPage } from '../templates/orders-page.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';

const PAGE_SIZE = 50;
export const ORDER_NO = /^[0-9a-z]{16}$/;

const ORDER_NOTICES: Readonly<Record<string, string>> = {
  resent: 'The latest notification is queued again and will be sent now.',
  refunded: 'Refund recorded; its status is in the Refunds table below.',
  closed: 'Order closed: the customer can no longer pay it, and the merchant is notified.',
};

/** What an action redirected back with when it did nothing, and why. */
const ORDER_REFUSALS: Readonly<Record<string, string>> = {
  none: 'This order has no notification to resend yet.',
  'refund-too-much': 'Not refunded: the amount is more than can still be refunded (or than the available balance it would come from).',
  'refund-not-paid': 'Not refunded: only a paid order can be refunded.',
  'refund-duplicate': 'Not refunded: that refund number was already used for another refund.',
  'refund-amount': 'Not refunded: give an amount such as 12.50, greater than 0.',
  'refund-unconfirmed': 'Not refunded: a refund is made from its confirmation page; start again with Refund….',
  'not-closable': 'Not closed: only an unpaid order with no payment under way can be closed.',
};

const CSV_HEADER = ['created_at', 'platFormTradeNo', 'tradeNo', 'merchantNo', 'amount', 'currency', 'status', 'statusDesc', 'email', 'cardBrand', 'cardLast4', 'paid_at'];

export function orderRoutes(app: FastifyInstance, context: GatewayContext) {
  const processors = context.config.connectors;
  app.get('/dashboard/orders', async (request, reply) => {
    const scope = request.admin!.scope;
    const { form, filter, ignored } = parseOrderFilter(request.query, scope);
    const after = formField(request.query, 'after');
    const [{ orders, next }, merchants] = await Promise.all([
      listOrders(context.readDb, scope, filter, { after: ORDER_NO.test(after) ? after : undefined, limit: PAGE_SIZE }),
      listMerchantNames(context.readDb, scope),
    ]);
    const extras = await orderListExtras(context.readDb, orders);
    return sendPage(
      reply,
      renderOrdersPage({
        admin: pageAdmin(request, reply),
        orders,
        extras,
        merchantNames: new Map(merchants.map((m) => [m.merchant_no, m.name])),
        merchants: scope.kind === 'all-merchants' ? merchants : [],
        form,
        ignored,
        query: filterQuery(form),
        nextQuery: next && filterQuery(form, { after: next }),
        later: Boolean(after),
      }),
    );
  });

  /** The filtered list as CSV, every page of it, streamed a keyset chunk at a time. */
  app.get('/dashboard/orders.csv', async (request, reply) => {
    const scope = request.admin!.scope;
    const { filter } = parseOrderFilter(request.query, scope);
    const stamp = context.now().toISOString().slice(0, 10);
    return sendCsv(reply, `orders-${stamp}.csv`, CSV_HEADER, eachOrder(context.readDb, scope, filter), (order) => [
      formatTime(order.created_at),
      order.plat_form_trade_no,
      order.trade_no,
      order.merchant_no,
      formatAmount(order.amount_cents),
      order.currency,
      order.status,
      order.status_desc,
      order.email,
      order.card_brand,
      order.card_last4,
      formatTime(order.paid_at),
    ]);
  });

  // The order page reads the primary: it is where an action redirects to, and must show its result.
  app.get('/dashboard/orders/:orderNo', async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const detail = ORDER_NO.test(orderNo) ? await loadOrderDetail(context.db, request.admin!.scope, orderNo) : undefined;
    const admin = pageAdmin(request, reply);
    if (!detail) return sendPage(reply, renderNotFoundPage({ admin, what: 'order' }), 404);
    const notice = formField(request.query, 'notice');
    return sendPage(
      reply,
      renderOrderPage({
        admin,
        detail,
        processors,
        defaultAcquirer: context.config.acquirer,
        settlementDelayHours: context.config.settlementDelayHours,
        notice: ORDER_NOTICES[notice],
        refusal: ORDER_REFUSALS[notice],
      }),
    );
  });

  app.post('/dashboard/orders/:orderNo/resend', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const order = ORDER_NO.test(orderNo) ? await findScopedOrder(context.db, request.admin!.scope, orderNo) : undefined;
    if (!order) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    const notifyId = await requeueLatestNotification(context.db, request.admin!.scope, orderNo);
    if (notifyId) context.waker.wake();
    await auditAction(context, request, { action: 'order.resend-notification', target: orderNo, merchantNo: order.merchant_no, outcome: notifyId ? 'ok' : 'refused', after: notifyId ? { notifyId } : null });
    return reply.redirect(`/dashboard/orders/${orderNo}?notice=${notifyId ? 'resent' : 'none'}`, 303);
  });
}
