import { script, stylesheet, type CashierAsset } from '../assets/index.ts';
import { LOCALES, messagesFor, type Locale } from '../../i18n/index.ts';
import { attr, html, type HtmlValue, type SafeHtml } from '../../web/html.ts';

/** The hosted page's path (the spec's `paymentUrl` is `<base>/checkout?data=<token>`). */
export const CHECKOUT_PATH = '/checkout';

/** `/checkout?data=TOKEN&lang=xx`: the payment page of `token` in `locale`. */
export const checkoutUrl = (token: string, locale: Locale): string =>
  `${CHECKOUT_PATH}?data=${encodeURIComponent(token)}&lang=${locale}`;

export interface LayoutInput {
  locale: Locale;
  title: string;
  body: SafeHtml;
  nonce?: string | undefined;
  /** Load the enhancement script (pages with a form). */
  withScript?: boolean;
  /** Load this script of the cashier's assets instead (the receipt's countdown). */
  script?: CashierAsset | undefined;
  /** Navigate to `url` (already a safe absolute or same-origin URL) after `seconds`. */
  refresh?: { seconds: number; url: string } | undefined;
  /** Show the language switcher for this order's token. */
  token?: string | undefined;
  /** A skip link, the page's first focusable element, to the element with this id. */
  skipTo?: { id: string; label: string } | undefined;
}

function languageSwitcher(token: string, current: Locale): SafeHtml {
  const items = LOCALES.map((locale) => {
    const name = messagesFor(locale).languageName;
    return locale === current
      ? html`<li><span aria-current="true" lang="${locale}">${name}</span></li>`
      : html`<li><a href="${checkoutUrl(token, locale)}" lang="${locale}" hreflang="${locale}">${name}</a></li>`;
  });
  return html`<nav aria-label="${messagesFor(current).languageNav}"><ul class="langs">${items}</ul></nav>`;
}

/** The document around every cashier page: strict head, our CSS (and JS when asked), one `<main>`. */
export function layout(input: LayoutInput): string {
  const { locale, title, body, nonce, refresh, token, skipTo } = input;
  const pageScript = input.script ?? (input.withScript ? script : undefined);
  const refreshMeta: HtmlValue =
    refresh && html`<meta http-equiv="refresh" content="${`${refresh.seconds};url=${refresh.url}`}">`;
  return html`<!doctype html>
<html lang="${locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<title>${title}</title>
${refreshMeta}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${stylesheet.path}"${attr('nonce', nonce)}>
${pageScript && html`<script src="${pageScript.path}" defer${attr('nonce', nonce)}></script>`}
</head>
<body>
${skipTo && html`<a class="skip" href="#${skipTo.id}">${skipTo.label}</a>`}
<main>
${token !== undefined && languageSwitcher(token, locale)}
<div class="box">
${body}
</div>
</main>
</body>
</html>
`.value;
}
