import { maskedCard } from '../../domain/card.ts';
import { html } from '../../web/html.ts';
import { CUSTOMER_ORDERS_SHOWN, type CustomerDetail } from '../../store/console/customer-detail.ts';
import type { SavedCardRow } from '../../store/saved-cards.ts';
import { formatMoney, formatTime, merchantInitiatedPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';
import { listStatus } from './orders-page.ts';

export interface CustomerPageInput {
  admin: PageUser;
  detail: CustomerDetail;
  notice?: string | undefined;
  refusal?: string | undefined;
}

/** Where a merchant's customer's page is: the customerId is the merchant's, so the merchant is part of the path. */
export const customerPath = (merchantNo: string, customerId: string) => `/dashboard/merchants/${merchantNo}/customers/${encodeURIComponent(customerId)}`;

/** A saved card's expiry as printed on it, MM/YYYY. */
export const cardExpiry = (card: Pick<SavedCardRow, 'expiry_month' | 'expiry_year'>) => `${String(card.expiry_month).padStart(2, '0')}/${card.expiry_year}`;

/** A merchant's customer: its saved cards (each with Delete… for a user who may act) and its orders, merchant-initiated charges marked. */
export function renderCustomerPage({ admin, detail, notice, refusal }: CustomerPageInput): string {
  const path = customerPath(detail.merchantNo, detail.customerId);
  const cards = detail.cards.map(
    (card) => html`<tr>
<td>${maskedCard(card.card_brand, card.card_last4)}</td>
<td>${cardExpiry(card)}</td>
<td class="mono">${card.card_token}</td>
<td>${formatTime(card.created_at)}</td>
<td><a href="/dashboard/orders/${card.order_no}" class="mono">${card.order_no}</a></td>
${showsActions(admin) && html`<td><form class="inline" method="get" action="${path}/cards/${card.card_token}/delete"><button type="submit" class="danger">Delete…</button></form></td>`}
</tr>`,
  );
  const orders = detail.orders.map(
    (order) => html`<tr>
<td>${formatTime(order.created_at)}</td>
<td><a href="/dashboard/orders/${order.plat_form_trade_no}" class="mono">${order.plat_form_trade_no}</a></td>
<td class="mono">${order.trade_no}</td>
<td class="num">${formatMoney(order.amount_cents, order.currency)}</td>
<td>${listStatus(order, undefined)}</td>
<td>${maskedCard(order.card_brand, order.card_last4)}</td>
<td>${order.merchant_initiated ? merchantInitiatedPill : 'customer (cashier)'}</td>
</tr>`,
  );
  return layout({
    title: `Customer ${detail.customerId}`,
    admin: { ...admin, section: 'orders' },
    body: html`<h1>Customer <span class="mono">${detail.customerId}</span></h1>
<p>of ${detail.merchantName} (<span class="mono">${detail.merchantNo}</span>): the merchant's own id for the customer (<span class="mono">customerId</span>).</p>
${notice && html`<p class="notice" role="status">${notice}</p>`}
${refusal && html`<p class="notice error" role="alert">${refusal}</p>`}
<section aria-labelledby="cards"><h2 id="cards">Saved cards</h2>
${
  cards.length
    ? html`<table>
<thead><tr><th>Card</th><th>Expiry</th><th>cardToken</th><th>Saved (UTC)</th><th>Saved by order</th>${showsActions(admin) && html`<th></th>`}</tr></thead>
<tbody>${cards}</tbody></table>`
    : html`<p class="muted">No saved card.</p>`
}</section>
<section aria-labelledby="orders"><h2 id="orders">Orders and merchant-initiated charges</h2>
${
  orders.length
    ? html`<table>
<thead><tr><th>Created (UTC)</th><th>platFormTradeNo</th><th>tradeNo</th><th class="num">Amount</th><th>Status</th><th>Card</th><th>Initiated by</th></tr></thead>
<tbody>${orders}</tbody></table>
${orders.length >= CUSTOMER_ORDERS_SHOWN && html`<p class="muted">The newest ${CUSTOMER_ORDERS_SHOWN} are shown.</p>`}`
    : html`<p class="muted">No order.</p>`
}</section>`,
  });
}
