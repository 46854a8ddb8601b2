import type { RedirectForm } from '../../acquirers/acquirer.ts';
import { messagesFor, type Locale } from '../../i18n/index.ts';
import { html } from '../../web/html.ts';
import { layout } from './layout.ts';

export interface RedirectPageInput {
  locale: Locale;
  merchantName: string;
  amountText: string;
  currency: string;
  /** Where the processor's 3-D Secure page is, and how to get there. */
  redirect: RedirectForm;
}

/**
 * Sends the customer's browser to a processor's 3-D Secure page: a form with a visible button
 * (works without JavaScript), submitted at once by cashier.js when scripts run. A GET form puts
 * its fields in the query, as the processor asked.
 */
export function renderRedirectPage(input: RedirectPageInput): string {
  const { locale, redirect } = input;
  const c = messagesFor(locale).challenge;
  const target = new URL(redirect.url);
  // A GET form replaces the action's query with its fields, so those move into fields.
  const fields = { ...Object.fromEntries(redirect.method === 'GET' ? target.searchParams : []), ...redirect.fields };
  if (redirect.method === 'GET') target.search = '';
  const body = html`<h1>${c.heading}</h1>
<p class="amount">${input.amountText} <small>${input.currency}</small></p>
<p class="merchant">${input.merchantName}</p>
<p>${c.redirectIntro}</p>
<form method="${redirect.method.toLowerCase()}" action="${target.toString()}" data-autosubmit>
${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit">${c.redirectContinue}</button>
</form>`;
  return layout({ locale, title: c.title, body, withScript: true });
}
