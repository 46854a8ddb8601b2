import { maskedCard } from '../../domain/card.ts';
import { PayoutStatusCode } from '../../domain/payout-status.ts';
import { html } from '../../web/html.ts';
import type { PayoutView } from '../../store/console/payout-detail.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';

export const PAYOUT_STATUS_LABELS: Readonly<Record<string, string>> = {
  [PayoutStatusCode.Processing]: 'Processing',
  [PayoutStatusCode.Paid]: 'Paid',
  [PayoutStatusCode.Failed]: 'Failed',
};

export interface PayoutsPageInput {
  admin: PageUser;
  payouts: PayoutView[];
  merchants: { merchant_no: string; name: string }[];
  filter: { merchantNo?: string | undefined; status?: string | undefined };
}

export function renderPayoutsPage({ admin, payouts, merchants, filter }: PayoutsPageInput): string {
  const rows = payouts.map(
    (p) => html`<tr>
<td>${formatTime(p.created_at)}</td>
<td class="mono"><a href="/dashboard/payouts/${p.plat_form_trade_no}">${p.plat_form_trade_no}</a></td>
<td class="mono">${p.trade_no}</td>
<td class="mono">${p.merchant_no}</td>
<td class="num">${formatMoney(p.amount_cents, p.currency)}</td>
<td class="num">${formatMoney(p.fee_cents, p.currency)}</td>
<td>${statusPill(p.status, p.status_desc)}</td>
<td>${maskedCard(p.card_brand, p.card_last4)}</td>
</tr>`,
  );
  return layout({
    title: 'Payouts',
    admin: { ...admin, section: 'payouts' },
    body: html`<h1>Payouts</h1>
<form class="filters" method="get" action="/dashboard/payouts">
<label for="merchant">Merchant<select id="merchant" name="merchant"><option value="">All</option>${merchants.map(
      (m) => html`<option value="${m.merchant_no}"${m.merchant_no === filter.merchantNo ? html` selected` : ''}>${m.name} (${m.merchant_no})</option>`,
    )}</select></label>
<label for="status">Status<select id="status" name="status"><option value="">All</option>${Object.entries(PAYOUT_STATUS_LABELS).map(
      ([code, label]) => html`<option value="${code}"${code === filter.status ? html` selected` : ''}>${label} (${code})</option>`,
    )}</select></label>
<button type="submit">Filter</button>
</form>
<table>
<thead><tr><th>Created (UTC)</th><th>platFormTradeNo</th><th>tradeNo</th><th>Merchant</th><th class="num">Amount</th><th class="num">Fee</th><th>Status</th><th>Card</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="8" class="muted">No payouts.</td></tr>`}</tbody>
</table>`,
  });
}
