import { html } from '../../web/html.ts';
import type { MerchantBalance } from '../../store/ledger/ledger-balances.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import type { StatementLine } from '../../store/console/merchant-statement.ts';
import { STATUS_SETS } from '../../domain/order-status.ts';
import type { SignedCents } from '../../domain/money.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';
import { merchantSettings } from './merchants-page.ts';

export interface MerchantPageInput {
  admin: PageUser;
  merchant: MerchantRow;
  /** Where this page lives: /dashboard/account for a merchant user, /dashboard/merchants/NO for an operator. */
  path: string;
  balance: MerchantBalance;
  statement: StatementLine[];
  nextBefore?: number | undefined;
  later: boolean;
  settlements: { day: string; payments: number; cents: SignedCents }[];
  now: Date;
  /** A secret just rotated, shown on this response only. */
  revealedSecret?: string | undefined;
  notice?: string | undefined;
  /** For an operator: the merchant's settings section, with the connector used when it names none. */
  operator?: { defaultAcquirer: string } | undefined;
}

const KIND_LABELS: Readonly<Record<string, string>> = {
  payment: 'Payment', refund: 'Refund', settlement: 'Settlement', payout_hold: 'Payout (held)', payout_paid: 'Payout paid', payout_reversed: 'Payout reversed',
  dispute_hold: 'Dispute (held)', dispute_release: 'Dispute won', dispute_loss: 'Dispute lost',
};

const signed = (cents: SignedCents) => (cents === 0 ? '' : formatMoney(cents));

export function renderMerchantPage(input: MerchantPageInput): string {
  const { merchant: m } = input;
  const base = `/dashboard/merchants/${m.merchant_no}`;
  const lines = input.statement.map(
    (line) => html`<tr>
<td>${formatTime(line.createdAt)}</td>
<td>${KIND_LABELS[line.kind] ?? line.kind}</td>
<td>${line.orderNo ? html`<a class="mono" href="/dashboard/orders/${line.orderNo}">${line.orderNo}</a>` : html`<span class="mono">${line.payoutId}</span>`}</td>
<td class="num">${signed(line.pendingCents)}</td>
<td class="num">${signed(line.availableCents)}</td>
<td class="num">${formatMoney(line.balanceCents)}</td>
</tr>`,
  );
  const graceOn = m.previous_secret_until !== null && m.previous_secret_until > input.now;
  const statusSetOptions = STATUS_SETS.map((set) => html`<option value="${set}"${m.status_set === set && html` selected`}>${set}</option>`);
  return layout({
    title: `${m.name} (${m.merchant_no})`,
    admin: { ...input.admin, section: 'merchants' },
    body: html`<h1>${m.name} <span class="mono muted">${m.merchant_no}</span> ${statusPill(m.status)}</h1>
${input.notice && html`<p class="notice" role="status">${input.notice}</p>`}
${input.revealedSecret && html`<div class="notice" role="status"><p>The new app secret, shown this once: copy it into the merchant's server now.</p><p><code class="secret">${input.revealedSecret}</code></p></div>`}
<div class="tiles">
<div class="tile"><div class="muted">Available</div><div class="figure">${formatMoney(input.balance.available)}</div><div class="muted">settled, can be paid out</div></div>
<div class="tile"><div class="muted">Pending</div><div class="figure">${formatMoney(input.balance.unsettled)}</div><div class="muted">paid, not settled yet</div></div>
<div class="tile"><div class="muted">Frozen</div><div class="figure">${formatMoney(input.balance.frozen)}</div></div>
</div>

<h2>API credentials</h2>
<dl class="fields">
<dt>merchantNo</dt><dd class="mono">${m.merchant_no}</dd>
<dt>App secret</dt><dd>${
      graceOn
        ? html`Rotated: the previous secret is still accepted until <strong>${formatTime(m.previous_secret_until)} UTC</strong>${m.active_secret_used_at ? html`; the new one is in use since ${formatTime(m.active_secret_used_at)} UTC` : html`; the new one has not been used yet, so notifications are still signed with the previous one`}.`
        : 'Only the current secret is accepted.'
    }</dd>
<dt>Last sign type</dt><dd>${m.last_sign_type}</dd>
</dl>

<h2>Fees</h2>
<dl class="fields">
<dt>Payout fee</dt><dd>${formatMoney(m.payout_fee_cents)} with each payout</dd>
<dt>Dispute fee</dt><dd>${formatMoney(m.dispute_fee_cents)} with each dispute lost, besides its amount (<a href="/dashboard/disputes">disputes</a>)</dd>
</dl>
${showsActions(input.admin) && html`<p><a href="${base}/rotate-secret">Rotate the app secret…</a></p>`}

<h2>Integration settings</h2>
${
  showsActions(input.admin)
    ? html`<form class="filters" method="get" action="${base}/integration" aria-label="Integration settings">
<label for="saltPlacement">Salt placement<select id="saltPlacement" name="saltPlacement"><option value="suffix"${m.salt_placement === 'suffix' && html` selected`}>suffix</option><option value="prefix"${m.salt_placement === 'prefix' && html` selected`}>prefix</option></select></label>
<label for="requireHmac">Sign types accepted<select id="requireHmac" name="requireHmac"><option value="0"${!m.require_hmac && html` selected`}>MD5 and HMAC-SHA256</option><option value="1"${m.require_hmac && html` selected`}>HMAC-SHA256 only</option></select></label>
<label for="statusSet">Statuses in answers and notifications<select id="statusSet" name="statusSet">${statusSetOptions}</select></label>
<button type="submit" class="secondary">Review changes…</button>
</form>`
    : html`<dl class="fields">
<dt>Salt placement</dt><dd>${m.salt_placement}</dd>
<dt>Sign types accepted</dt><dd>${m.require_hmac ? 'HMAC-SHA256 only' : 'MD5 and HMAC-SHA256'}</dd>
<dt>Statuses in answers and notifications</dt><dd>${m.status_set}</dd>
</dl>`
}

${input.operator && merchantSettings(m, input.admin, input.operator.defaultAcquirer)}

<h2>Statement</h2>
<p><a href="${base}/statement.csv" download>Export the statement as CSV</a></p>
<table>
<thead><tr><th>Time (UTC)</th><th>Posting</th><th>Order or payout</th><th class="num">Pending</th><th class="num">Available</th><th class="num">Balance after</th></tr></thead>
<tbody>${lines.length ? lines : html`<tr><td colspan="6" class="muted">No postings yet.</td></tr>`}</tbody>
</table>
<nav class="pager" aria-label="Statement pages">
${input.later && html`<a href="${input.path}">Newest postings</a>`}
${input.nextBefore !== undefined && html`<a href="${input.path}?before=${input.nextBefore}" rel="next">Older postings</a>`}
</nav>

<h2>Settlements</h2>
<table>
<thead><tr><th>Day (UTC)</th><th class="num">Payments settled</th><th class="num">Made available</th></tr></thead>
<tbody>${
      input.settlements.length
        ? input.settlements.map((s) => html`<tr><td>${s.day}</td><td class="num">${s.payments}</td><td class="num">${formatMoney(s.cents)}</td></tr>`)
        : html`<tr><td colspan="3" class="muted">Nothing settled yet.</td></tr>`
    }</tbody>
</table>`,
  });
}
