import { html } from '../../web/html.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import type { OrderListRow } from '../../store/list-orders.ts';
import { formatMoney, formatTime, ORDER_STATUS_LABELS, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';
import { maskedCard } from '../../domain/card.ts';

export interface OrdersPageInput {
  admin: PageUser;
  orders: OrderListRow[];
  merchants: { merchant_no: string; name: string }[];
  filter: { merchantNo?: string | undefined; status?: OrderStatus | undefined; search?: string | undefined };
  /** Query string of the next page, when there is one. */
  nextQuery?: string | undefined;
  /** Query string of the first page with the same filters, when this is a later page. */
  firstQuery?: string | undefined;
}

export function renderOrdersPage(input: OrdersPageInput): string {
  const { filter } = input;
  const merchantOptions = input.merchants.map(
    (m) => html`<option value="${m.merchant_no}"${filter.merchantNo === m.merchant_no && html` selected`}>${m.name} (${m.merchant_no})</option>`,
  );
  const statusOptions = (Object.keys(ORDER_STATUS_LABELS) as OrderStatus[]).map(
    (status) => html`<option value="${status}"${filter.status === status && html` selected`}>${ORDER_STATUS_LABELS[status]}</option>`,
  );
  const rows = input.orders.map(
    (order) => html`<tr>
<td>${formatTime(order.created_at)}</td>
<td><a href="/dashboard/orders/${order.plat_form_trade_no}" class="mono">${order.plat_form_trade_no}</a></td>
<td class="mono">${order.trade_no}</td>
<td class="mono">${order.merchant_no}</td>
<td class="num">${formatMoney(order.amount_cents, order.currency)}</td>
<td>${statusPill(order.status, order.status_desc)}</td>
<td>${maskedCard(order.card_brand, order.card_last4)}</td>
</tr>`,
  );
  return layout({
    title: 'Orders',
    admin: { ...input.admin, section: 'orders' },
    body: html`<h1>Orders</h1>
<form class="filters" method="get" action="/dashboard/orders" role="search">
<label for="merchant">Merchant<select id="merchant" name="merchant"><option value="">All merchants</option>${merchantOptions}</select></label>
<label for="status">Status<select id="status" name="status"><option value="">Any status</option>${statusOptions}</select></label>
<label for="q">tradeNo or platFormTradeNo<input id="q" name="q" type="search" value="${filter.search ?? ''}"></label>
<button type="submit">Filter</button>
${(filter.merchantNo || filter.status || filter.search) && html`<a href="/dashboard/orders">Clear</a>`}
</form>
<table>
<thead><tr><th>Created (UTC)</th><th>platFormTradeNo</th><th>tradeNo</th><th>Merchant</th><th class="num">Amount</th><th>Status</th><th>Card</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7" class="muted">No orders match.</td></tr>`}</tbody>
</table>
<nav class="pager" aria-label="Pages">
${input.firstQuery !== undefined && html`<a href="/dashboard/orders${input.firstQuery && `?${input.firstQuery}`}">Newest orders</a>`}
${input.nextQuery && html`<a href="/dashboard/orders?${input.nextQuery}" rel="next">Older orders</a>`}
</nav>`,
  });
}
