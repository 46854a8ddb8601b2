import { html, type SafeHtml } from '../../web/html.ts';
import { stylesheet } from '../assets/index.ts';

export type Section = 'overview' | 'orders' | 'notifications' | 'payouts' | 'merchants';

export interface LayoutInput {
  title: string;
  body: SafeHtml;
  /** The signed-in operator; absent on the login page. */
  admin?: { email: string; csrfToken: string; section: Section } | undefined;
}

const NAV: readonly [Section, string, string][] = [
  ['overview', 'Overview', '/dashboard/overview'],
  ['orders', 'Orders', '/dashboard/orders'],
  ['notifications', 'Notifications', '/dashboard/notifications'],
  ['payouts', 'Payouts', '/dashboard/payouts'],
  ['merchants', 'Merchants', '/dashboard/merchants'],
];

/** The document around every dashboard page: our stylesheet only, no script. */
export function layout({ title, body, admin }: LayoutInput): string {
  const header =
    admin &&
    html`<header>
<span class="brand">Payrail</span>
<nav aria-label="Sections">${NAV.map(([section, label, href]) =>
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
