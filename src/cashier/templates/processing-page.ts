import { messagesFor, type Locale } from '../../i18n/index.ts';
import { html } from '../../web/html.ts';
import { checkoutUrl, layout } from './layout.ts';

/** How often the processing page asks again. */
export const PROCESSING_REFRESH_SECONDS = 3;

export interface ProcessingPageInput {
  locale: Locale;
  /** The order's token: the page reloads `/checkout?data=TOKEN&lang=xx` until the order settles. */
  token: string;
  nonce?: string | undefined;
}

/** "We are confirming your payment": shown while an attempt is in flight or being reconciled. */
export function renderProcessingPage(input: ProcessingPageInput): string {
  const { locale, token } = input;
  const p = messagesFor(locale).processing;
  const url = checkoutUrl(token, locale);
  const body = html`<div role="status"><h1>${p.heading}</h1>
<p>${p.body}</p></div>
<a class="btn" href="${url}">${p.checkAgain}</a>`;
  return layout({ locale, title: p.title, body, nonce: input.nonce, refresh: { seconds: PROCESSING_REFRESH_SECONDS, url }, token });
}
