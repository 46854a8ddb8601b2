import { html } from '../../web/html.ts';
import type { AuditRow } from '../../store/console/audit-log.ts';
import { formatTime, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';

export interface AuditPageInput {
  admin: PageUser;
  rows: AuditRow[];
  filter: { action: string; actor: string; from: string; to: string };
  /** Query string of the next (older) page, when there is one. */
  nextQuery?: string | undefined;
  firstQuery?: string | undefined;
  /** A merchant user sees its merchant's rows only: say so. */
  merchantNo: string | null;
}

const change = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** The audit log, newest first, read-only: who did what, from where, and what a setting was before and after. */
export function renderAuditPage({ admin, rows, filter, nextQuery, firstQuery, merchantNo }: AuditPageInput): string {
  return layout({
    title: 'Audit log',
    admin: { ...admin, section: 'audit' },
    body: html`<h1>Audit log</h1>
${merchantNo && html`<p class="muted">Actions and logins concerning merchant <span class="mono">${merchantNo}</span>.</p>`}
<form method="get" action="/dashboard/audit" class="filters">
<label for="action">Action<input id="action" name="action" value="${filter.action}" maxlength="64" placeholder="e.g. login"></label>
<label for="actor">Actor email<input id="actor" name="actor" type="email" value="${filter.actor}" maxlength="254"></label>
<label for="from">From (UTC)<input id="from" name="from" type="date" value="${filter.from}"></label>
<label for="to">To (UTC, inclusive)<input id="to" name="to" type="date" value="${filter.to}"></label>
<button type="submit">Filter</button>
</form>
<table>
<thead><tr><th>Time (UTC)</th><th>Actor</th><th>Role</th><th>IP</th><th>Action</th><th>Target</th><th>Merchant</th><th>Outcome</th><th>Before</th><th>After</th></tr></thead>
<tbody>${rows.map(
      (row) => html`<tr>
<td>${formatTime(row.at)}</td><td>${row.actorEmail}</td><td>${row.actorRole}</td><td class="mono">${row.ip}</td>
<td class="mono">${row.action}</td><td>${row.target ?? ''}</td><td class="mono">${row.merchantNo ?? ''}</td>
<td>${statusPill(row.outcome === 'ok' ? 'active' : 'disabled', row.outcome)}</td>
<td class="mono excerpt">${change(row.before)}</td><td class="mono excerpt">${change(row.after)}</td>
</tr>`,
    )}</tbody>
</table>
${rows.length === 0 && html`<p class="muted">No rows match.</p>`}
<p class="pager">${firstQuery !== undefined && html`<a href="/dashboard/audit?${firstQuery}">Newest</a>`}${nextQuery && html`<a href="/dashboard/audit?${nextQuery}" rel="next">Older</a>`}</p>`,
  });
}
