import { html, type SafeHtml } from '../../web/html.ts';
import { stylesheet } from '../assets/index.ts';
import type { ConsoleRole } from '../../domain/console-scope.ts';

export type Section = 'overview' | 'orders' | 'notifications' | 'payouts' | 'disputes' | 'merchants' | 'users' | 'audit' | 'account';

/** The signed-in user as a page sees it: what the header shows and the CSRF token of its forms. */
export interface PageUser {
  email: string;
  csrfToken: string;
  role?: ConsoleRole;
  /** False for a merchant-viewer: pages leave out every action (refund, close, resend, rotate, settings). */
  mayAct?: boolean;
}

/** Whether a page shows its actions to this user (a merchant-viewer sees none). */
export const showsActions = (user: PageUser): boolean => user.mayAct !== false;

export interface LayoutInput {
  title: string;
  body: SafeHtml;
  /** The signed-in user; absent on the login page. A merchant user's menu has no operator pages. */
  admin?: (PageUser & { section: Section }) | undefined;
}

/** Each section, its label, its page, and who has it in the menu. */
const NAV: readonly [Section, string, string, 'everyone' | 'operator' | 'merchant user'][] = [
  ['overview', 'Overview', '/dashboard/overview', 'everyone'],
  ['orders', 'Orders', '/dashboard/orders', 'everyone'],
  ['notifications', 'Notifications', '/dashboard/notifications', 'everyone'],
  ['payouts', 'Payouts', '/dashboard/payouts', 'everyone'],
  ['disputes', 'Disputes', '/dashboard/disputes', 'everyone'],
  ['merchants', 'Merchants', '/dashboard/merchants', 'operator'],
  ['merchants', 'My merchant', '/dashboard/account', 'merchant user'],
  ['users', 'Users', '/dashboard/users', 'operator'],
  ['audit', 'Audit log', '/dashboard/audit', 'everyone'],
  ['account', 'Two-factor', '/dashboard/totp', 'everyone'],
];

/** The document around every dashboard page: our stylesheet only, no script. */
export function layout({ title, body, admin }: LayoutInput): string {
  const header =
    admin &&
    html`<header>
<span class="brand">Payrail</span>
<nav aria-label="Sections">${NAV.filter(([, , , who]) => who === 'everyone' || who === ((admin.role ?? 'operator') === 'operator' ? 'operator' : 'merchant user')).map(([section, label, href]) =>
      section === admin.section ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`,
    )}</nav>
<form method="post" action="/dashboard/logout"><a href="/dashboard/password">${admin.email}</a><input type="hidden" name="_csrf" value="${admin.csrfToken}"><button type="submit" class="secondary">Log out</button></form>
</header>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<title>${title} · Payrail dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${stylesheet.path}">
</head>
<body>
${header}
<main>
${body}
</main>
</body>
</html>
`.value;
}
