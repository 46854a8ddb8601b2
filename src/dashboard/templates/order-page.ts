import { html, type SafeHtml } from '../../web/html.ts';
import type { OrderDetail } from '../../store/order-detail.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';
import { maskedCard } from '../../domain/card.ts';
import { formatAmount } from '../../domain/money.ts';
import { closable, refundableCents } from '../order-actions.ts';

export interface OrderPageInput {
  admin: PageUser;
  detail: OrderDetail;
  notice?: string | undefined;
  /** Why the action just posted did nothing. */
  refusal?: string | undefined;
}

/** Refund and close lead to their confirmation pages (GET): nothing changes until that page's form is posted. */
function actions(detail: OrderDetail, admin: PageUser): SafeHtml {
  const { order } = detail;
  if (!showsActions(admin)) return html``;
  const refundable = refundableCents(detail);
  const refund =
    refundable > 0 &&
    html`<form class="inline" method="get" action="/dashboard/orders/${order.plat_form_trade_no}/refund" aria-label="Refund">
<label for="refund-amount">Amount to refund (${order.currency})<input id="refund-amount" name="amount" inputmode="decimal" size="10" value="${formatAmount(refundable)}"></label>
<label for="refund-reason">Reason<input id="refund-reason" name="reason" maxlength="256"></label>
<button type="submit" class="secondary">Refund…</button></form>`;
  const close = closable(order) && html`<form class="inline" method="get" action="/dashboard/orders/${order.plat_form_trade_no}/close"><button type="submit" class="danger">Close order…</button></form>`;
  return refund || close ? html`<h2>Actions</h2><div class="actions">${refund}${close}</div>` : html``;
}

const EXCERPT_CHARS = 200;

const field = (label: string, value: SafeHtml | string | null | undefined) => html`<dt>${label}</dt><dd>${value ?? ''}</dd>`;

export function renderOrderPage({ admin, detail, notice, refusal }: OrderPageInput): string {
  const { order } = detail;
  const fields = html`<dl class="fields">
${field('platFormTradeNo', html`<span class="mono">${order.plat_form_trade_no}</span>`)}
${field('tradeNo', html`<span class="mono">${order.trade_no}</span>`)}
${field('Merchant', `${detail.merchantName} (${order.merchant_no})`)}
${field('Amount', formatMoney(order.amount_cents, order.currency))}
${field('Status', html`${statusPill(order.status, order.status_desc)} <span class="mono muted">${order.status}</span>`)}
${field('Card', maskedCard(order.card_brand, order.card_last4))}
${field('Created', formatTime(order.created_at))}
${field('Expires', formatTime(order.expires_at))}
${field('Paid', formatTime(order.paid_at))}
${field('Ended', formatTime(order.ended_at))}
${field('Settled', formatTime(order.settled_at))}
${field('Customer', `${order.email} · ${order.mobile} · userId ${order.user_id}`)}
${field('Remark', order.remark)}
${field('notifyUrl', order.notify_url)}
${field('returnUrl', order.return_url)}
</dl>`;

  const events = detail.events.map(
    (event) => html`<tr><td>${formatTime(event.created_at)}</td><td>${event.type}</td><td class="mono excerpt">${event.detail === null ? '' : JSON.stringify(event.detail)}</td></tr>`,
  );

  const attempts = detail.attempts.map(
    (attempt) => html`<tr><td>${formatTime(attempt.created_at)}</td><td>${attempt.acquirer ?? 'default'}</td><td>${attempt.card_brand}</td><td class="mono">${attempt.card_bin}</td><td class="mono">${attempt.card_last4}</td><td>${statusPill(attempt.status)}</td><td>${attempt.reason}</td></tr>`,
  );

  const notifications = detail.notifications.map(
    (notification) => html`<h3>${notification.kind}${notification.refundNo && ` · refund ${notification.refundNo}`} <span class="mono muted">notifyId ${notification.notifyId}</span></h3>
<p>${statusPill(notification.status)} ${notification.deliveries.length} delivery attempt(s) recorded${notification.status === 'pending' && ` · next try ${formatTime(notification.runAt)}`}${notification.lastError && html` · <span class="muted">last error: ${notification.lastError}</span>`}</p>
<table>
<thead><tr><th>Time (UTC)</th><th class="num">HTTP status</th><th class="num">Latency</th><th>Body excerpt</th><th>Error</th><th>Worker</th></tr></thead>
<tbody>${
      notification.deliveries.length
        ? notification.deliveries.map(
            (d) => html`<tr><td>${formatTime(d.attempted_at)}</td><td class="num">${d.http_status ?? '—'}</td><td class="num">${d.latency_ms} ms</td><td class="mono excerpt">${(d.body_excerpt ?? '').slice(0, EXCERPT_CHARS)}</td><td>${d.error}</td><td class="mono">${d.worker}</td></tr>`,
          )
        : html`<tr><td colspan="6" class="muted">Not attempted yet.</td></tr>`
    }</tbody>
</table>`,
  );

  const refunds = detail.refunds.map(
    (refund) => html`<tr><td>${formatTime(refund.created_at)}</td><td class="mono">${refund.refund_no}</td><td class="num">${formatMoney(refund.amount_cents, order.currency)}</td><td>${statusPill(refund.status, refund.status_desc)}</td><td>${refund.reason}</td><td>${formatTime(refund.ended_at)}</td></tr>`,
  );

  return layout({
    title: `Order ${order.plat_form_trade_no}`,
    admin: { ...admin, section: 'orders' },
    body: html`<p><a href="/dashboard/orders">← Orders</a></p>
<h1>Order <span class="mono">${order.plat_form_trade_no}</span></h1>
${notice && html`<p class="notice" role="status">${notice}</p>`}
${refusal && html`<p class="notice error" role="alert">${refusal}</p>`}
${fields}
${actions(detail, admin)}
<h2>Payment attempts</h2>
<table>
<thead><tr><th>Time (UTC)</th><th>Acquirer</th><th>Brand</th><th>BIN</th><th>Last 4</th><th>Status</th><th>Reason</th></tr></thead>
<tbody>${attempts.length ? attempts : html`<tr><td colspan="7" class="muted">No payment attempts.</td></tr>`}</tbody>
</table>
<h2>Notifications</h2>
${
  detail.notifications.length
    ? html`${showsActions(admin) && html`<form class="inline" method="post" action="/dashboard/orders/${order.plat_form_trade_no}/resend"><input type="hidden" name="_csrf" value="${admin.csrfToken}"><button type="submit">Resend notification</button></form>`}${notifications}`
    : html`<p class="muted">No notification yet: one is sent when the order reaches a final status.</p>`
}
<h2>Refunds</h2>
<table>
<thead><tr><th>Requested (UTC)</th><th>refundNo</th><th class="num">Amount</th><th>Status</th><th>Reason</th><th>Ended</th></tr></thead>
<tbody>${refunds.length ? refunds : html`<tr><td colspan="6" class="muted">No refunds.</td></tr>`}</tbody>
</table>
<h2>Event log</h2>
<table>
<thead><tr><th>Time (UTC)</th><th>Event</th><th>Detail</th></tr></thead>
<tbody>${events.length ? events : html`<tr><td colspan="3" class="muted">No events.</td></tr>`}</tbody>
</table>`,
  });
}
