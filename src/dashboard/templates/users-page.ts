import { html } from '../../web/html.ts';
import type { UserListRow } from '../../store/console/admins.ts';
import type { Revealed } from '../reveal-once.ts';
import { formatTime, statusPill } from './format.ts';
import { layout, type PageUser } from './layout.ts';
import { CONSOLE_ROLES, ROLE_LABELS, type ConsoleRole } from '../../domain/console-scope.ts';

/** What each role may do, as the invite form says it. */
const ROLE_MEANINGS: Readonly<Record<ConsoleRole, string>> = {
  operator: 'every merchant',
  'merchant-admin': 'one merchant: refunds, closes, secret and settings',
  'merchant-viewer': 'one merchant: read and export only',
};

export interface UsersPageInput {
  admin: PageUser & { id: number };
  users: UserListRow[];
  merchants: { merchant_no: string; name: string }[];
  /** A one-time password just made (invite or reset): shown on this page once. */
  revealed?: Revealed | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** What the invite form held when it was refused. */
  form?: { email: string; role: string; merchantNo: string } | undefined;
}

/** Operators only: every console user, invite a user, and per user disable/enable and a password reset. */
export function renderUsersPage(input: UsersPageInput): string {
  const { admin, users, merchants, revealed, notice, error } = input;
  const form = input.form ?? { email: '', role: 'merchant-viewer', merchantNo: '' };
  const row = (user: UserListRow) => html`<tr>
<td>${user.email}</td>
<td>${ROLE_LABELS[user.role]}</td>
<td class="mono">${user.merchantNo ?? ''}</td>
<td>${user.disabledAt ? statusPill('disabled', 'Disabled') : user.mustChangePassword ? statusPill('pending', 'One-time password') : statusPill('active', 'Active')}</td>
<td>${user.hasTotp ? 'On' : 'Off'}</td>
<td>${formatTime(user.createdAt)}</td>
<td class="actions">${
    user.id === admin.id
      ? html`<a href="/dashboard/password">Change my password</a>`
      : html`${
          user.disabledAt
            ? html`<form method="post" action="/dashboard/users/${String(user.id)}/enable" class="inline"><input type="hidden" name="_csrf" value="${admin.csrfToken}"><button type="submit" class="secondary">Enable</button></form>`
            : html`<a href="/dashboard/users/${String(user.id)}/disable">Disable…</a>`
        } <a href="/dashboard/users/${String(user.id)}/reset-password">Reset password…</a>`
  }</td>
</tr>`;
  return layout({
    title: 'Users',
    admin: { ...admin, section: 'users' },
    body: html`<h1>Users</h1>
${notice && html`<p class="notice" role="status">${notice}</p>`}
${error && html`<p class="notice error" role="alert">${error}</p>`}
${revealed && html`<div class="notice" role="status"><p>One-time password for <strong>${revealed.email}</strong>. Give it to them now: it is shown only this once, and they choose their own at first login.</p>
<p><code class="secret" data-testid="one-time-password">${revealed.password}</code></p></div>`}
<table>
<thead><tr><th>Email</th><th>Role</th><th>Merchant</th><th>Status</th><th>Two-factor</th><th>Created</th><th>Actions</th></tr></thead>
<tbody>${users.map(row)}</tbody>
</table>
<h2>Invite a user</h2>
<form method="post" action="/dashboard/users" class="filters">
<input type="hidden" name="_csrf" value="${admin.csrfToken}">
<label for="invite-email">Email<input id="invite-email" name="email" type="email" required maxlength="254" value="${form.email}"></label>
<label for="invite-role">Role<select id="invite-role" name="role">
${CONSOLE_ROLES.map((role) => html`<option value="${role}"${form.role === role && html` selected`}>${ROLE_LABELS[role]} (${ROLE_MEANINGS[role]})</option>`)}
</select></label>
<label for="invite-merchant">Merchant (for a merchant user)<select id="invite-merchant" name="merchantNo">
<option value="">—</option>
${merchants.map((m) => html`<option value="${m.merchant_no}"${m.merchant_no === form.merchantNo && html` selected`}>${m.name} (${m.merchant_no})</option>`)}
</select></label>
<button type="submit">Invite</button>
</form>`,
  });
}
