import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { formatAmount, parseAmount, type Cents } from '../../domain/money.ts';
import { OrderMove, OrderStatus } from '../../domain/order-status.ts';
import { refundPayment } from '../../payments/refund-payment.ts';
import { closeOrder } from '../../payments/close-order.ts';
import { findScopedOrder, loadOrderDetail } from '../../store/console/order-detail.ts';
import { html } from '../../web/html.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderConfirmPage } from '../templates/confirm-page.ts';
import { formatMoney } from '../templates/format.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';
import { ORDER_NO } from './order-routes.ts';
import { closable, refundableCents } from '../order-actions.ts';
import { CONFIRMS_ACTION } from '../route-table.ts';

const REFUND_NO = /^[A-Za-z0-9_-]{1,64}$/;

/** Which notice a refused refund leads to, by the business code `createRefund` refused it with. */
const REFUSED: Partial<Record<BusinessCode, string>> = {
  [BusinessCode.RefundExceedsRefundable]: 'refund-too-much',
  [BusinessCode.StateForbidsOperation]: 'refund-not-paid',
  [BusinessCode.DuplicateReference]: 'refund-duplicate',
  [BusinessCode.AmountInvalid]: 'refund-amount',
};

/** The console's refunds are idempotent by their refundNo, chosen when the confirmation page is shown. */
const consoleRequestHash = (fields: Record<string, string | number | null>) => createHash('sha256').update(JSON.stringify(fields)).digest('hex');

export function orderActionRoutes(app: FastifyInstance, context: GatewayContext) {
  const notFound = (request: FastifyRequest, reply: FastifyReply) => sendPage(reply, renderNotFoundPage({ admin: pageAdmin(request, reply), what: 'order' }), 404);
  const scopedDetail = (request: FastifyRequest) => {
    const { orderNo } = request.params as { orderNo: string };
    return ORDER_NO.test(orderNo) ? loadOrderDetail(context.db, request.admin!.scope, orderNo) : Promise.resolve(undefined);
  };

  /** Confirmation: the amount, what is refundable, where the money goes. Nothing changes here. */
  app.get('/dashboard/orders/:orderNo/refund', CONFIRMS_ACTION, async (request, reply) => {
    const detail = await scopedDetail(request);
    if (!detail) return notFound(request, reply);
    const { order } = detail;
    const refundable = refundableCents(detail);
    const amountText = formField(request.query, 'amount') || formatAmount(refundable);
    const reason = formField(request.query, 'reason').slice(0, 256);
    let amount: Cents | undefined;
    let error: string | undefined;
    try {
      amount = parseAmount(amountText);
    } catch {
      error = 'Give an amount such as 12.50, greater than 0.';
    }
    if (order.status !== OrderStatus.Paid) error = 'Only a paid order can be refunded.';
    else if (amount !== undefined && amount > refundable) error = `At most ${formatMoney(refundable, order.currency)} can still be refunded.`;
    const money = amount === undefined ? amountText : formatMoney(amount, order.currency);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'orders',
        title: `Refund ${money}?`,
        consequences: html`<dl class="fields">
<dt>Order</dt><dd class="mono">${order.plat_form_trade_no} (tradeNo ${order.trade_no})</dd>
<dt>Merchant</dt><dd>${detail.merchantName} (${order.merchant_no})</dd>
<dt>Paid</dt><dd>${formatMoney(order.amount_cents, order.currency)}</dd>
<dt>Still refundable</dt><dd>${formatMoney(refundable, order.currency)}</dd>
<dt>To refund now</dt><dd><strong>${money}</strong>${amount !== undefined && amount < refundable && ' (partial)'}</dd>
<dt>Reason</dt><dd>${reason || '—'}</dd>
</dl>
<p>The amount goes back to the customer's card through the acquirer and is taken from the merchant's balance. The merchant gets a REFUND notification. This cannot be undone.</p>`,
        action: `/dashboard/orders/${order.plat_form_trade_no}/refund`,
        fields: { amount: amountText, reason, refundNo: `console-${randomBytes(8).toString('hex')}` },
        confirmLabel: `Refund ${money}`,
        cancelHref: `/dashboard/orders/${order.plat_form_trade_no}`,
        error,
      }),
    );
  });

  app.post('/dashboard/orders/:orderNo/refund', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const order = ORDER_NO.test(orderNo) ? await findScopedOrder(context.db, request.admin!.scope, orderNo) : undefined;
    if (!order) return notFound(request, reply);
    const refundNo = formField(request.body, 'refundNo');
    const amountText = formField(request.body, 'amount');
    const reason = formField(request.body, 'reason').slice(0, 256) || null;
    const audit = { action: 'order.refund', target: orderNo, merchantNo: order.merchant_no };
    // The refundNo comes from the confirmation page; without it there was no confirmation.
    if (!REFUND_NO.test(refundNo)) return reply.redirect(`/dashboard/orders/${orderNo}?notice=refund-unconfirmed`, 303);
    let notice = 'refunded';
    try {
      const amountCents = parseAmount(amountText);
      const refund = await refundPayment(context, {
        merchantNo: order.merchant_no,
        orderNo,
        refundNo,
        amountCents,
        reason,
        requestHash: consoleRequestHash({ orderNo, refundNo, amountCents, reason }),
      });
      await auditAction(context, request, { ...audit, after: { refundNo, amount: formatAmount(amountCents), status: refund.status_desc } });
    } catch (error) {
      const refused = error instanceof PayrailError ? REFUSED[error.code] : undefined;
      if (!refused) throw error;
      notice = refused;
      await auditAction(context, request, { ...audit, outcome: 'refused', after: { refundNo, amount: amountText, refused: error instanceof Error ? error.message : '' } });
    }
    return reply.redirect(`/dashboard/orders/${orderNo}?notice=${notice}`, 303);
  });

  app.get('/dashboard/orders/:orderNo/close', CONFIRMS_ACTION, async (request, reply) => {
    const detail = await scopedDetail(request);
    if (!detail) return notFound(request, reply);
    const { order } = detail;
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'orders',
        title: `Close order ${order.trade_no}?`,
        consequences: html`<dl class="fields">
<dt>Order</dt><dd class="mono">${order.plat_form_trade_no} (tradeNo ${order.trade_no})</dd>
<dt>Merchant</dt><dd>${detail.merchantName} (${order.merchant_no})</dd>
<dt>Amount</dt><dd>${formatMoney(order.amount_cents, order.currency)}</dd>
</dl>
<p>The customer can no longer pay this order, and the merchant gets a notification that it is closed. This cannot be undone.</p>`,
        action: `/dashboard/orders/${order.plat_form_trade_no}/close`,
        fields: {},
        confirmLabel: 'Close the order',
        cancelHref: `/dashboard/orders/${order.plat_form_trade_no}`,
        error: closable(order) ? undefined : 'Only an unpaid order with no payment under way can be closed.',
      }),
    );
  });

  app.post('/dashboard/orders/:orderNo/close', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { orderNo } = request.params as { orderNo: string };
    const order = ORDER_NO.test(orderNo) ? await findScopedOrder(context.db, request.admin!.scope, orderNo) : undefined;
    if (!order) return notFound(request, reply);
    // Closing twice is answered like closing once, as the API does.
    const closed = (await closeOrder(context, order)).kind === 'closed';
    await auditAction(context, request, {
      action: 'order.close',
      target: orderNo,
      merchantNo: order.merchant_no,
      outcome: closed ? 'ok' : 'refused',
      before: { status: order.status_desc },
      after: closed ? { status: OrderMove.close.to.desc } : null,
    });
    return reply.redirect(`/dashboard/orders/${orderNo}?notice=${closed ? 'closed' : 'not-closable'}`, 303);
  });
}
