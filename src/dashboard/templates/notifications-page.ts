import { html } from '../../web/html.ts';
import type { UnacknowledgedNotification } from '../../store/console/list-notifications.ts';
import { formatTime, statusPill } from './format.ts';
import { layout, showsActions, type PageUser } from './layout.ts';

export interface NotificationsPageInput {
  admin: PageUser;
  notifications: UnacknowledgedNotification[];
  notice?: string | undefined;
  nextQuery?: string | undefined;
  later: boolean;
}

const EXCERPT_CHARS = 120;

function lastAnswer(n: UnacknowledgedNotification) {
  const last = n.lastAttempt;
  if (!last) return html`<span class="muted">not tried yet</span>`;
  const answer = last.httpStatus !== null ? `HTTP ${last.httpStatus}` : (last.error ?? 'no answer');
  return html`${formatTime(last.at)} · ${answer}${last.bodyExcerpt && html` · <span class="mono excerpt">${last.bodyExcerpt.slice(0, EXCERPT_CHARS)}</span>`}`;
}

export function renderNotificationsPage(input: NotificationsPageInput): string {
  const rows = input.notifications.map((n) => {
    const href = n.kind === 'PAYOUT' ? `/dashboard/payouts/${n.platFormTradeNo}` : `/dashboard/orders/${n.platFormTradeNo}`;
    return html`<tr>
<td>${formatTime(n.createdAt)}</td>
<td>${n.kind}${n.refundNo && html`<br><span class="mono muted">${n.refundNo}</span>`}</td>
<td><a class="mono" href="${href}">${n.platFormTradeNo}</a><br><span class="mono muted">${n.tradeNo}</span></td>
<td class="mono">${n.merchantNo}</td>
<td>${statusPill(n.status, n.status === 'pending' && n.attempts > 0 ? 'retrying' : n.status)}</td>
<td class="num">${n.attempts}</td>
<td>${lastAnswer(n)}</td>
<td>${n.status === 'pending' ? formatTime(n.runAt) : html`<span class="muted">none: given up</span>`}</td>
<td>${showsActions(input.admin) && html`<form class="inline" method="post" action="/dashboard/notifications/${n.notifyId}/resend"><input type="hidden" name="_csrf" value="${input.admin.csrfToken}"><button type="submit" class="secondary" aria-label="Resend notification ${n.notifyId}">Resend</button></form>`}</td>
</tr>`;
  });
  return layout({
    title: 'Notifications',
    admin: { ...input.admin, section: 'notifications' },
    body: html`<h1>Notifications not acknowledged</h1>
${input.notice && html`<p class="notice" role="status">${input.notice}</p>`}
<p class="muted">Every notification the merchant's server has not answered with success yet: waiting for its first try, retrying, or given up after its schedule. Resend starts its schedule again from now.</p>
<table>
<thead><tr><th>Queued (UTC)</th><th>Kind</th><th>platFormTradeNo / tradeNo</th><th>Merchant</th><th>Status</th><th class="num">Tries</th><th>Last answer</th><th>Next try (UTC)</th><th></th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="9" class="muted">Every notification has been acknowledged.</td></tr>`}</tbody>
</table>
<nav class="pager" aria-label="Pages">
${input.later && html`<a href="/dashboard/notifications">Newest</a>`}
${input.nextQuery && html`<a href="/dashboard/notifications?${input.nextQuery}" rel="next">Older</a>`}
</nav>`,
  });
}
