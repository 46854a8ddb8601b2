import { messagesFor, type Locale } from '../../i18n/index.ts';
import { html } from '../../web/html.ts';
import { checkoutUrl, layout } from './layout.ts';

/** How soon the page asks again while the database is away. */
export const UNAVAILABLE_REFRESH_SECONDS = 5;

export interface UnavailablePageInput {
  locale: Locale;
  /** The order's token, when the request named one: the page reloads that order's page. */
  token?: string | undefined;
  nonce?: string | undefined;
}

/** "Try again in a moment": answered with 503 while the database cannot be reached. */
export function renderUnavailablePage(input: UnavailablePageInput): string {
  const { locale, token } = input;
  const u = messagesFor(locale).unavailable;
  const url = token === undefined ? undefined : checkoutUrl(token, locale);
  const body = html`<div role="status"><h1>${u.heading}</h1>
<p>${u.body}</p></div>
${url !== undefined && html`<a class="btn" href="${url}">${u.tryAgain}</a>`}`;
  return layout({ locale, title: u.title, body, nonce: input.nonce, refresh: url === undefined ? undefined : { seconds: UNAVAILABLE_REFRESH_SECONDS, url }, token });
}
