import { orderDisputesSection } from './disputes-page.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { OrderDetail } from '../../store/console/order-detail.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';
import { maskedCard } from '../../domain/card.ts';
import { formatAmount, type Cents } from '../../domain/money.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { eventSentence } from '../event-sentence.ts';
import { processorPaymentUrl } from '../processor-link.ts';
import type { ConnectorSettings } from '../../acquirers/index.ts';
import { closable, refundableCents } from '../order-actions.ts';
import { renderMismatchedEvents } from './mismatched-events.ts';
import { customerPath } from './customer-page.ts';

export interface OrderPageInput {
  admin: PageUser;
  detail: OrderDetail;
  /** Test or live mode of Stripe and Adyen, for the link to the payment in their dashboards. */
  processors: ConnectorSettings;
  /** The acquirer of attempts that recorded none (the gateway's ACQUIRER). */
  defaultAcquirer: string;
  /** SETTLEMENT_DELAY_HOURS: when a paid order not settled yet is due to be. */
  settlementDelayHours: number;
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

/** What the payment cost and what the merchant keeps: amount, our fee, refunds, net. */
function money(detail: OrderDetail): SafeHtml {
  const { order } = detail;
  const paid = order.status === OrderStatus.Paid;
  const fee = (paid ? (detail.feeCents ?? 0) : 0) as Cents;
  const refunded = refundedCents(detail);
  return html`<section aria-labelledby="money"><h2 id="money">Money</h2>
<dl class="fields">
${field('Amount', formatMoney(order.amount_cents, order.currency))}
${paid
  ? html`${field('Fee', formatMoney(fee, order.currency))}
${field('Refunded', formatMoney(refunded, order.currency))}
${field('Net to the merchant', html`<strong>${formatMoney((order.amount_cents - fee - refunded) as Cents, order.currency)}</strong> <span class="muted">(amount − fee − refunded)</span>`)}`
  : html`<dt>Fee, refunds, net</dt><dd class="muted">None: the order was not paid.</dd>`}
</dl></section>`;
}

/** The processor's own reference of the payment, linked to its dashboard where it has one. */
function processor(detail: OrderDetail, input: OrderPageInput): SafeHtml {
  const attempt = [...detail.attempts].reverse().find((a) => a.acquirer_reference !== null);
  if (!attempt) return html`<section aria-labelledby="processor"><h2 id="processor">At the processor</h2><p class="muted">No acquirer reference yet: no attempt reached the acquirer.</p></section>`;
  const acquirer = attempt.acquirer ?? input.defaultAcquirer;
  const url = processorPaymentUrl(acquirer, attempt.acquirer_reference!, input.processors);
  const reference = html`<span class="mono">${attempt.acquirer_reference}</span>`;
  return html`<section aria-labelledby="processor"><h2 id="processor">At the processor</h2>
<dl class="fields">
${field('Acquirer', acquirer)}
${field('Reference', url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${reference}</a>` : reference)}
</dl></section>`;
}

const refundedCents = (detail: OrderDetail): Cents =>
  detail.refunds.filter((refund) => refund.status === RefundStatus.Succeeded).reduce((sum, refund) => sum + refund.amount_cents, 0) as Cents;

/** Settled when; due when, for a paid order not settled yet; nothing for an order never paid. */
function settlement(detail: OrderDetail, delayHours: number): string | null {
  const { order } = detail;
  if (order.settled_at) return formatTime(order.settled_at);
  if (order.status !== OrderStatus.Paid || !order.paid_at) return null;
  return `not yet: due from ${formatTime(new Date(order.paid_at.getTime() + delayHours * 3_600_000))}`;
}

export function renderOrderPage(input: OrderPageInput): string {
  const { admin, detail, notice, refusal } = input;
  const { order } = detail;
  const refunded = refundedCents(detail);
  const shownStatus =
    order.status === OrderStatus.Paid && refunded > 0
      ? html`<span class="status muted">${refunded >= order.amount_cents ? 'REFUNDED' : 'PARTIALLY REFUNDED'}</span> <span class="muted">paid, then ${formatMoney(refunded, order.currency)} refunded</span>`
      : html`${statusPill(order.status, order.status_desc)} <span class="mono muted">${order.status}</span>`;
  const fields = html`<dl class="fields">
${field('platFormTradeNo', html`<span class="mono">${order.plat_form_trade_no}</span>`)}
${field('tradeNo', html`<span class="mono">${order.trade_no}</span>`)}
${field('Merchant', `${detail.merchantName} (${order.merchant_no})`)}
${field('Amount', formatMoney(order.amount_cents, order.currency))}
${field('Status', shownStatus)}
${order.card_last4 && field('Card', maskedCard(order.card_brand, order.card_last4))}
${order.customer_id && field('Customer', html`<a href="${customerPath(order.merchant_no, order.customer_id)}" class="mono">${order.customer_id}</a> <span class="muted">(saved cards and orders)</span>`)}
${order.card_token && field('Saved card', html`<span class="mono">${order.card_token}</span>`)}
${order.merchant_initiated && field('Initiated by', 'the merchant, without the customer (POST /v1/charge)')}
${field('Created', formatTime(order.created_at))}
${order.status === OrderStatus.Open && field('Expires', formatTime(order.expires_at))}
${order.paid_at && field('Paid', formatTime(order.paid_at))}
${order.ended_at && order.status !== OrderStatus.Paid && field('Ended', formatTime(order.ended_at))}
${settlement(detail, input.settlementDelayHours) && field('Settled', settlement(detail, input.settlementDelayHours))}
${field('Customer', `${order.email} · ${order.mobile} · userId ${order.user_id}`)}
${field('Remark', order.remark)}
${field('notifyUrl', order.notify_url)}
${field('returnUrl', order.return_url)}
</dl>`;

  const events = detail.events.map((event) => html`<tr><td class="time">${formatTime(event.created_at)}</td><td>${eventSentence(event, order.currency)}</td></tr>`);

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
${money(detail)}
${processor(detail, input)}
${actions(detail, admin)}
${renderMismatchedEvents(detail.mismatchedEvents)}
${orderDisputesSection(detail.disputes)}
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
<thead><tr><th>Time (UTC)</th><th>What happened</th></tr></thead>
<tbody>${events.length ? events : html`<tr><td colspan="2" class="muted">No events.</td></tr>`}</tbody>
</table>`,
  });
}
