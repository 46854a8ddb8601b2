import { html } from '../../web/html.ts';
import { layout, type Section, type PageUser } from './layout.ts';

export interface NotFoundPageInput {
  admin: PageUser;
  what: 'order' | 'payout' | 'merchant' | 'customer' | 'saved card';
}

const BACK: Readonly<Record<NotFoundPageInput['what'], [Section, string]>> = {
  order: ['orders', '/dashboard/orders'],
  payout: ['payouts', '/dashboard/payouts'],
  merchant: ['merchants', '/dashboard/merchants'],
  customer: ['orders', '/dashboard/orders'],
  'saved card': ['orders', '/dashboard/orders'],
};

export function renderNotFoundPage({ admin, what }: NotFoundPageInput): string {
  const [section, href] = BACK[what];
  return layout({
    title: 'Not found',
    admin: { ...admin, section },
    body: html`<h1>No such ${what}</h1><p><a href="${href}">Back to the list</a></p>`,
  });
}
