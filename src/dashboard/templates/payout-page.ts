import { maskedCard } from '../../domain/card.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PayoutDetail } from '../../store/console/payout-detail.ts';
import { formatMoney, formatTime, statusPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';

export interface PayoutPageInput {
  admin: PageUser;
  detail: PayoutDetail;
  notice?: string | undefined;
}

const EXCERPT_CHARS = 200;

const field = (label: string, value: SafeHtml | string | null | undefined) => html`<dt>${label}</dt><dd>${value ?? ''}</dd>`;

export function renderPayoutPage({ admin, detail, notice }: PayoutPageInput): string {
  const { payout } = detail;
  const fields = html`<dl class="fields">
${field('platFormTradeNo', html`<span class="mono">${payout.plat_form_trade_no}</span>`)}
${field('tradeNo', html`<span class="mono">${payout.trade_no}</span>`)}
${field('Merchant', `${detail.merchantName} (${payout.merchant_no})`)}
${field('Amount', formatMoney(payout.amount_cents, payout.currency))}
${field('Payout fee', formatMoney(payout.fee_cents, payout.currency))}
${field('Status', html`${statusPill(payout.status, payout.status_desc)} <span class="mono muted">${payout.status}</span>`)}
${field('Card', `${maskedCard(payout.card_brand, payout.card_last4)} (BIN ${payout.card_bin})`)}
${field('Paid to', payout.customer_name)}
${field('Customer', [payout.customer_email, payout.customer_mobile].filter(Boolean).join(' · '))}
${field('Acquirer', payout.acquirer ?? 'default')}
${field('Acquirer reference', payout.acquirer_reference)}
${field('Created', formatTime(payout.created_at))}
${field('Ended', formatTime(payout.ended_at))}
${field('Remark', payout.remark)}
${field('notifyUrl', payout.notify_url)}
</dl>`;

  const attempts = detail.attempts.map((event) => html`<tr><td>${formatTime(event.created_at)}</td><td>${statusPill(event.type)}</td><td>${event.detail}</td></tr>`);

  const notifications = detail.notifications.map(
    (notification) => html`<h3>PAYOUT <span class="mono muted">notifyId ${notification.notifyId}</span></h3>
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

  return layout({
    title: `Payout ${payout.plat_form_trade_no}`,
    admin: { ...admin, section: 'payouts' },
    body: html`<p><a href="/dashboard/payouts">← Payouts</a></p>
<h1>Payout <span class="mono">${payout.plat_form_trade_no}</span></h1>
${notice && html`<p class="notice" role="status">${notice}</p>`}
${fields}
<h2>Acquirer attempts</h2>
<table>
<thead><tr><th>Time (UTC)</th><th>Step</th><th>Detail</th></tr></thead>
<tbody>${attempts.length ? attempts : html`<tr><td colspan="3" class="muted">No attempts.</td></tr>`}</tbody>
</table>
<h2>Notifications</h2>
${
  detail.notifications.length
    ? html`${showsActions(admin) && html`<form class="inline" method="post" action="/dashboard/payouts/${payout.plat_form_trade_no}/resend"><input type="hidden" name="_csrf" value="${admin.csrfToken}"><button type="submit">Resend notification</button></form>`}${notifications}`
    : html`<p class="muted">No notification yet: one is sent when the payout ends.</p>`
}`,
  });
}
