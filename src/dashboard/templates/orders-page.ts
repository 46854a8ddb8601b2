import { html, type SafeHtml } from '../../web/html.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import type { OrderListExtras, OrderListRow } from '../../store/console/list-orders.ts';
import type { OrderFilterForm } from '../order-filter.ts';
import { formatMoney, formatTime, merchantInitiatedPill, ORDER_STATUS_LABELS, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';
import { maskedCard } from '../../domain/card.ts';

export interface OrdersPageInput {
  admin: PageUser;
  orders: OrderListRow[];
  /** Refunded totals and declined attempts of the orders on the page. */
  extras: ReadonlyMap<string, OrderListExtras>;
  /** Every merchant's name the user may see, by merchantNo. */
  merchantNames: ReadonlyMap<string, string>;
  /** The merchants an operator may filter by; empty for a merchant user. */
  merchants: { merchant_no: string; name: string }[];
  form: OrderFilterForm;
  /** Filter fields given that could not be read, so were not applied. */
  ignored: string[];
  /** Query string of the filters alone (for the CSV link and the first page). */
  query: string;
  /** Query string of the next page, when there is one. */
  nextQuery?: string | undefined;
  /** Whether this is a later page. */
  later: boolean;
}

const LABELS: Readonly<Record<string, string>> = {
  merchant: 'merchant', status: 'status', from: 'from', to: 'to', min: 'smallest amount', max: 'largest amount', last4: 'card last 4',
};

/**
 * An order's status as the list tells it: a paid order refunded in full is REFUNDED, in part
 * PARTIALLY REFUNDED; declined card attempts are counted beside any status ("2 declined").
 */
export function listStatus(order: OrderListRow, extras: OrderListExtras | undefined): SafeHtml {
  const refunded = extras?.refundedCents ?? 0;
  const pill =
    order.status === OrderStatus.Paid && refunded >= order.amount_cents
      ? html`<span class="status muted">REFUNDED</span>`
      : order.status === OrderStatus.Paid && refunded > 0
        ? html`<span class="status muted">PARTIALLY REFUNDED</span>`
        : statusPill(order.status, order.status_desc);
  const declined = extras?.declinedAttempts ?? 0;
  return html`${pill}${declined > 0 && html` <span class="status bad">${declined} declined</span>`}`;
}

export function renderOrdersPage(input: OrdersPageInput): string {
  const { form } = input;
  const merchantOptions = input.merchants.map(
    (m) => html`<option value="${m.merchant_no}"${form.merchant === m.merchant_no && html` selected`}>${m.name} (${m.merchant_no})</option>`,
  );
  const statusOptions = (Object.keys(ORDER_STATUS_LABELS) as OrderStatus[]).map(
    (status) => html`<option value="${status}"${form.status === status && html` selected`}>${ORDER_STATUS_LABELS[status]}</option>`,
  );
  const rows = input.orders.map(
    (order) => html`<tr>
<td>${formatTime(order.created_at)}</td>
<td><a href="/dashboard/orders/${order.plat_form_trade_no}" class="mono">${order.plat_form_trade_no}</a></td>
<td class="mono">${order.trade_no}</td>
<td title="${order.merchant_no}">${input.merchantNames.get(order.merchant_no) ?? order.merchant_no}</td>
<td class="num">${formatMoney(order.amount_cents, order.currency)}</td>
<td>${listStatus(order, input.extras.get(order.plat_form_trade_no))}</td>
<td>${order.email}</td>
<td>${maskedCard(order.card_brand, order.card_last4)}${order.merchant_initiated && html` ${merchantInitiatedPill}`}</td>
</tr>`,
  );
  const filtered = Object.values(form).some(Boolean);
  return layout({
    title: 'Orders',
    admin: { ...input.admin, section: 'orders' },
    body: html`<h1>Orders</h1>
<form class="filters" method="get" action="/dashboard/orders" role="search" aria-label="Filter orders">
${input.merchants.length > 0 && html`<label for="merchant">Merchant<select id="merchant" name="merchant"><option value="">All merchants</option>${merchantOptions}</select></label>`}
<label for="status">Status<select id="status" name="status"><option value="">Any status</option>${statusOptions}</select></label>
<label for="from">Created from<input id="from" name="from" type="date" value="${form.from}"></label>
<label for="to">Created to<input id="to" name="to" type="date" value="${form.to}"></label>
<label for="min">Amount from<input id="min" name="min" inputmode="decimal" size="9" value="${form.min}" placeholder="0.00"></label>
<label for="max">Amount to<input id="max" name="max" inputmode="decimal" size="9" value="${form.max}" placeholder="0.00"></label>
<label for="email">Customer email<input id="email" name="email" type="search" value="${form.email}"></label>
<label for="last4">Card last 4<input id="last4" name="last4" inputmode="numeric" size="4" maxlength="4" value="${form.last4}"></label>
<label for="q">tradeNo or platFormTradeNo<input id="q" name="q" type="search" value="${form.q}"></label>
<button type="submit">Filter</button>
${filtered && html`<a href="/dashboard/orders">Clear</a>`}
<a href="/dashboard/orders.csv${input.query && `?${input.query}`}" download>Export CSV</a>
</form>
${input.ignored.length > 0 && html`<p class="notice error" role="alert">Not applied, as it could not be read: ${input.ignored.map((name) => LABELS[name] ?? name).join(', ')}. Dates are YYYY-MM-DD, amounts such as 12.50, card last 4 four digits.</p>`}
<table>
<thead><tr><th>Created (UTC)</th><th>platFormTradeNo</th><th>tradeNo</th><th>Merchant</th><th class="num">Amount</th><th>Status</th><th>Customer email</th><th>Card</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="8" class="muted">No orders match.</td></tr>`}</tbody>
</table>
<nav class="pager" aria-label="Pages">
${input.later && html`<a href="/dashboard/orders${input.query && `?${input.query}`}">Newest orders</a>`}
${input.nextQuery && html`<a href="/dashboard/orders?${input.nextQuery}" rel="next">Older orders</a>`}
</nav>`,
  });
}
