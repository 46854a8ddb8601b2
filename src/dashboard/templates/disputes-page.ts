import { DISPUTE_STATUS_DESC } from '../../domain/dispute.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { DisputeRow, ListedDispute } from '../../store/disputes.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';

/** A dispute's status pill: OPEN, WON or LOST (their codes are coloured as every status's). */
const disputePill = (dispute: DisputeRow) => statusPill(dispute.status, DISPUTE_STATUS_DESC[dispute.status]);

/** The order page's section: the order's disputes, or nothing when it has none. */
export function orderDisputesSection(disputes: DisputeRow[]): SafeHtml {
  if (disputes.length === 0) return html``;
  return html`<section aria-labelledby="disputes"><h2 id="disputes">Disputes</h2>
<table>
<thead><tr><th>Opened (UTC)</th><th>disputeNo</th><th>Processor</th><th class="num">Amount</th><th>Reason</th><th>Status</th><th>Evidence due (UTC)</th><th>Ended</th></tr></thead>
<tbody>${disputes.map(
    (d) => html`<tr><td>${formatTime(d.created_at)}</td><td class="mono">${d.dispute_no}</td><td>${d.processor} <span class="mono muted">${d.processor_dispute_id}</span></td><td class="num">${formatMoney(d.amount_cents, d.currency)}</td><td>${d.reason}</td><td>${disputePill(d)}</td><td>${formatTime(d.evidence_due_by)}</td><td>${formatTime(d.closed_at)}</td></tr>`,
  )}</tbody>
</table></section>`;
}

export interface DisputesPageInput {
  admin: PageUser;
  disputes: ListedDispute[];
  openOnly: boolean;
}

/** Every dispute the user may see: open first, the soonest evidence due date first. */
export function renderDisputesPage({ admin, disputes, openOnly }: DisputesPageInput): string {
  const rows = disputes.map(
    (d) => html`<tr>
<td>${disputePill(d)}</td>
<td>${formatTime(d.evidence_due_by)}</td>
<td class="mono">${d.dispute_no}</td>
<td class="mono"><a href="/dashboard/orders/${d.order_no}">${d.order_no}</a></td>
<td class="mono">${d.trade_no}</td>
<td class="mono">${d.merchant_no}</td>
<td class="num">${formatMoney(d.amount_cents, d.currency)}</td>
<td>${d.reason}</td>
<td>${d.processor}</td>
<td>${formatTime(d.created_at)}</td>
</tr>`,
  );
  return layout({
    title: 'Disputes',
    admin: { ...admin, section: 'disputes' },
    body: html`<h1>Disputes</h1>
<p>Chargebacks of paid orders. While a dispute is open its amount is held (the balance's freezeAmount); won, it is available again; lost, it is gone with the dispute fee.</p>
<form class="filters" method="get" action="/dashboard/disputes">
<label for="open"><input type="checkbox" id="open" name="open" value="1"${openOnly ? html` checked` : ''}> Open only</label>
<button type="submit">Filter</button>
</form>
<table>
<thead><tr><th>Status</th><th>Evidence due (UTC)</th><th>disputeNo</th><th>Order</th><th>tradeNo</th><th>Merchant</th><th class="num">Amount</th><th>Reason</th><th>Processor</th><th>Opened (UTC)</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="10" class="muted">No disputes.</td></tr>`}</tbody>
</table>`,
  });
}
