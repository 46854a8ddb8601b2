import { html, type SafeHtml } from '../../web/html.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import type { MerchantBalance } from '../../store/ledger/ledger-balances.ts';
import { MerchantStatus } from '../../domain/merchant-status.ts';
import { STATUS_SETS, type StatusSet } from '../../domain/order-status.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { formatAmount, type Cents } from '../../domain/money.ts';
import { layout, type PageUser } from './layout.ts';
import { DEFAULT_FEE_BPS } from '../../domain/fees.ts';

export interface MerchantListItem {
  merchant_no: string;
  name: string;
  status: MerchantStatus;
  fee_bps: number;
  acquirers: string[] | null;
  status_set: StatusSet;
  payout_fee_cents: Cents;
  created_at: Date;
  previous_secret_until: Date | null;
  balance: MerchantBalance;
}

export interface MerchantsPageInput {
  admin: PageUser;
  merchants: MerchantListItem[];
  /** A secret just created or rotated: shown on this response only, never again. */
  revealed?: { merchantNo: string; appSecret: string; rotated: boolean } | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  now: Date;
  /** The connector merchants without a list of their own use (ACQUIRER). */
  defaultAcquirer: string;
}

export const feeText = (bps: number) => `${(bps / 100).toFixed(2)}%`;

/** What each status set means to the operator choosing it (docs/api.md, "Status set per merchant"). */
const STATUS_SET_LABELS: Readonly<Record<StatusSet, string>> = {
  family: 'family: expired and closed answered 00029',
  extended: 'extended: 00030 expired, 00031 closed',
};

export const statusSetOptions = (selected: StatusSet) =>
  STATUS_SETS.map((set) => html`<option value="${set}"${set === selected && html` selected`}>${STATUS_SET_LABELS[set]}</option>`);

/**
 * Every merchant as a plain list: name, status, fee and balances, each linking to the merchant's
 * own page, where its settings are. The form below creates a merchant.
 */
export function renderMerchantsPage(input: MerchantsPageInput): string {
  const { admin, revealed } = input;
  const csrf = html`<input type="hidden" name="_csrf" value="${admin.csrfToken}">`;
  const rows = input.merchants.map((m) => {
    const graceLeft = m.previous_secret_until && m.previous_secret_until > input.now;
    return html`<tr>
<td><a href="/dashboard/merchants/${m.merchant_no}">${m.name}</a><br><span class="mono muted">${m.merchant_no}</span></td>
<td>${statusPill(m.status)}</td>
<td class="num">${feeText(m.fee_bps)}</td>
<td class="num">${formatMoney(m.balance.available)}</td>
<td class="num">${formatMoney(m.balance.unsettled)}</td>
<td class="num">${formatMoney(m.balance.frozen)}</td>
<td class="time">${formatTime(m.created_at)}${graceLeft && html`<br><span class="muted">old secret valid until ${formatTime(m.previous_secret_until)}</span>`}</td>
</tr>`;
  });
  return layout({
    title: 'Merchants',
    admin: { ...admin, section: 'merchants' },
    body: html`<h1>Merchants</h1>
${input.notice && html`<p class="notice" role="status">${input.notice}</p>`}
${input.error && html`<p class="notice error" role="alert">${input.error}</p>`}
${
  revealed &&
  html`<div class="notice" role="status"><p>${revealed.rotated ? 'New app secret' : 'Merchant created'} for <span class="mono">${revealed.merchantNo}</span>. Copy the app secret now: it is shown only this once.${revealed.rotated && ' The previous secret stays valid for 24 hours.'}</p>
<p><code class="secret" id="app-secret">${revealed.appSecret}</code></p></div>`
}
<p class="muted">Each merchant's settings (status, acquirers, fees, status set, secret) are on its own page.</p>
<table>
<thead><tr><th>Merchant</th><th>Status</th><th class="num">Fee</th><th class="num">Available</th><th class="num">Unsettled</th><th class="num">Frozen</th><th>Created (UTC)</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7" class="muted">No merchants yet.</td></tr>`}</tbody>
</table>
<h2>New merchant</h2>
<form class="filters" method="post" action="/dashboard/merchants">${csrf}
<label for="name">Name shown to customers<input id="name" name="name" required maxlength="100"></label>
<label for="feeBps">Fee (basis points)<input id="feeBps" name="feeBps" inputmode="numeric" pattern="[0-9]{1,5}" value="${String(DEFAULT_FEE_BPS)}"></label>
<label for="statusSet">Status set<select id="statusSet" name="statusSet">${statusSetOptions('family')}</select></label>
<label for="payoutFee">Payout fee (USD)<input id="payoutFee" name="payoutFee" inputmode="decimal" pattern="[0-9]{1,9}([.][0-9]{1,2})?" value="0.00"></label>
<button type="submit">Create merchant</button>
</form>`,
  });
}

/** An operator's settings of one merchant, on that merchant's page: each form posts to its own action and comes back there. */
export function merchantSettings(m: MerchantRow, admin: PageUser, defaultAcquirer: string): SafeHtml {
  const csrf = html`<input type="hidden" name="_csrf" value="${admin.csrfToken}">`;
  const next = m.status === MerchantStatus.Active ? MerchantStatus.Disabled : MerchantStatus.Active;
  return html`<section aria-labelledby="operator-settings"><h2 id="operator-settings">Settings (operators)</h2>
<dl class="fields">
<dt>Status</dt><dd>${statusPill(m.status)} ${
    next === MerchantStatus.Disabled
      ? html`<a class="button danger" href="/dashboard/merchants/${m.merchant_no}/disable">Disable…</a>`
      : html`<form class="inline" method="post" action="/dashboard/merchants/${m.merchant_no}/status">${csrf}<input type="hidden" name="status" value="${next}"><button type="submit" class="secondary">Enable</button></form>`
  }</dd>
<dt>Fee and limits</dt><dd>${feeText(m.fee_bps)} of each payment · <a href="/dashboard/merchants/${m.merchant_no}/edit">Edit fee, amount limits and signing…</a></dd>
</dl>
<form class="filters" method="post" action="/dashboard/merchants/${m.merchant_no}/acquirers">${csrf}<label for="acquirers">Acquirers, in order (comma-separated; empty for the default)<input id="acquirers" name="acquirers" size="24" value="${(m.acquirers ?? []).join(',')}" placeholder="${defaultAcquirer} (default)"></label><button type="submit" class="secondary">Save acquirers</button></form>
<form class="filters" method="post" action="/dashboard/merchants/${m.merchant_no}/payout-fee">${csrf}<label for="payoutFee">Payout fee (USD)<input id="payoutFee" name="payoutFee" inputmode="decimal" pattern="[0-9]{1,9}([.][0-9]{1,2})?" size="8" value="${formatAmount(m.payout_fee_cents)}"></label><button type="submit" class="secondary">Save payout fee</button></form>
<form class="filters" method="post" action="/dashboard/merchants/${m.merchant_no}/dispute-fee">${csrf}<label for="disputeFee">Dispute fee (USD), taken with each lost dispute<input id="disputeFee" name="disputeFee" inputmode="decimal" pattern="[0-9]{1,9}([.][0-9]{1,2})?" size="8" value="${formatAmount(m.dispute_fee_cents)}"></label><button type="submit" class="secondary">Save dispute fee</button></form>
<form class="filters" method="post" action="/dashboard/merchants/${m.merchant_no}/status-set">${csrf}<label for="operatorStatusSet">Status set<select id="operatorStatusSet" name="statusSet">${statusSetOptions(m.status_set)}</select></label><button type="submit" class="secondary">Save status set</button></form>
</section>`;
}
