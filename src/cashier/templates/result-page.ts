import { format, formatUtcDateTime, messagesFor, type Locale } from '../../i18n/index.ts';
import { html, httpUrl } from '../../web/html.ts';
import { layout } from './layout.ts';
import { receiptScript } from '../assets/index.ts';

export interface ResultPageInput {
  locale: Locale;
  kind: 'success';
  merchantName: string;
  amountText: string;
  currency: string;
  /** As it may be shown, e.g. "Visa •••• 4242". */
  maskedCard: string;
  platFormTradeNo: string;
  /** The merchant's own order number (tradeNo), as its customer knows the order. */
  tradeNo: string;
  paidAt: Date;
  /**
   * The merchant's returnUrl with the signed result already appended by the caller. Only an
   * absolute http(s) URL is followed; anything else leaves the receipt without link or redirect.
   */
  returnUrl: string;
  nonce?: string | undefined;
}

/** How long the receipt waits before it goes on to the merchant's returnUrl by itself. */
export const RETURN_AFTER_SECONDS = 5;

/**
 * The receipt after a successful payment, with a link back to the merchant. With JavaScript
 * (assets/receipt.js) it goes on to that link by itself after RETURN_AFTER_SECONDS, showing the
 * countdown and a control to stay (WCAG 2.2.1, timing adjustable); without, the link only.
 */
export function renderResultPage(input: ResultPageInput): string {
  const { locale } = input;
  const r = messagesFor(locale).result;
  const returnUrl = httpUrl(input.returnUrl);
  const paidAt = `${formatUtcDateTime(locale, input.paidAt)} UTC`;
  const body = html`<div role="status"><h1 class="ok">${r.heading}</h1></div>
<p class="amount">${input.amountText} <small>${input.currency}</small></p>
<dl>
<dt>${r.merchant}</dt><dd>${input.merchantName}</dd>
<dt>${r.card}</dt><dd>${input.maskedCard}</dd>
<dt>${r.orderNumber}</dt><dd>${input.tradeNo}</dd>
<dt>${r.reference}</dt><dd>${input.platFormTradeNo}</dd>
<dt>${r.paidAt}</dt><dd><time datetime="${input.paidAt.toISOString()}">${paidAt}</time></dd>
</dl>
${returnUrl && html`<p class="muted">${format(r.returnPrompt, { merchant: input.merchantName })}</p>
<div class="countdown" data-return-after="${RETURN_AFTER_SECONDS}" data-countdown-text="${format(r.countdown, { merchant: input.merchantName })}" data-stayed-text="${r.stayed}" hidden>
<p role="status" data-countdown></p>
<button type="button" class="stay" data-stay>${r.stay}</button>
</div>
<a class="btn" href="${returnUrl}" data-return-link>${r.returnLink}</a>`}`;
  return layout({ locale, title: r.title, body, nonce: input.nonce, script: returnUrl ? receiptScript : undefined });
}
