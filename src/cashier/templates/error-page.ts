import { format, messagesFor, type ErrorReason, type Locale } from '../../i18n/index.ts';
import { html } from '../../web/html.ts';
import { layout } from './layout.ts';

export type ErrorStatus = 400 | 404 | 410 | 429;

/** The HTTP status to answer each reason with; never a 5xx for anything about a token. */
export const errorStatus: Readonly<Record<ErrorReason, ErrorStatus>> = Object.freeze({
  unknown: 404,
  expired: 410,
  closed: 410,
  paid: 410,
  failed: 410,
  rate: 429,
  bad_request: 400,
});

export interface ErrorPageInput {
  locale: Locale;
  reason: ErrorReason;
  /** Defaults to `errorStatus[reason]`; the route must answer with the same status. */
  status?: ErrorStatus | undefined;
  nonce?: string | undefined;
  /** For an order that has ended: the merchant's signed returnUrl, offered as a way back. */
  returnUrl?: string | undefined;
}

/** A clear page for a token that cannot be paid: unknown, expired, closed, paid, failed, rate-limited, malformed. */
export function renderErrorPage(input: ErrorPageInput): string {
  const { locale, reason } = input;
  const messages = messagesFor(locale);
  const e = messages.error;
  const body = html`<h1>${e.titles[reason]}</h1>
<p>${e.bodies[reason]}</p>
${input.returnUrl !== undefined && html`<a class="btn" href="${input.returnUrl}">${messages.result.returnLink}</a>`}
<p class="muted">${format(e.code, { status: input.status ?? errorStatus[reason] })}</p>`;
  return layout({ locale, title: e.titles[reason], body, nonce: input.nonce });
}
