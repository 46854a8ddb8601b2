import {
  FIELD_REASONS,
  format,
  messagesFor,
  plural,
  type CardField,
  type FieldReasonKey,
  type Locale,
  type Messages,
  type NoticeReasonKey,
} from '../../i18n/index.ts';
import { attr, html, type SafeHtml } from '../../web/html.ts';
import { layout } from './layout.ts';

/** The card form's `id`: the target of the page's skip link. */
export const CARD_FORM_ID = 'card-form';

/** Where the card form posts (`application/x-www-form-urlencoded`). */
export const PAY_PATH = '/checkout/pay';

/** Where a saved card's one-step button posts: `data`, `_csrf`, `lang` and `cardToken`. */
export const PAY_SAVED_PATH = '/checkout/pay-saved';

/** The consent checkbox of an order whose card may be saved (`saveCard: optional`): ticked, it posts `saveCard=yes`. */
export const SAVE_CARD_FIELD = 'saveCard';

/** A returning customer's saved card as the page shows it. */
export interface SavedCardChoice {
  cardToken: string;
  /** Brand and last four, e.g. "Visa •••• 4242". */
  card: string;
  /** MM/YY. */
  expiry: string;
}

/**
 * The `name` (and `id`) of each card input in the POST to `PAY_PATH`. The form also carries
 * `data` (the order token), `_csrf` and `lang` (the page's locale, to answer in it).
 * Expiry arrives as typed: accept `MM/YY`, `MM / YY`, `MMYY` and `MM/YYYY`.
 */
export const FORM_FIELDS: Readonly<Record<CardField, string>> = Object.freeze({
  number: 'cardNumber',
  expiry: 'expiry',
  cvc: 'cvc',
  holder: 'holder',
});

/** A refusal of one card field; the type pairs each field with its own reasons. */
export type FieldError = { [F in CardField]: { field: F; reason: (typeof FIELD_REASONS)[F][number] } }[CardField];

export interface PaymentPageInput {
  locale: Locale;
  merchantName: string;
  /** The wire amount, e.g. "300.00" (`formatAmount` of the order's cents). */
  amountText: string;
  currency: string;
  remark?: string | undefined;
  /** The order's opaque token: posted back as `data`, and used by the language links. */
  token: string;
  csrfToken: string;
  /** Field errors from the server's checks of the last post, shown beside each field. */
  errors?: readonly FieldError[] | undefined;
  /**
   * What to fill back in after a refused post. Only these two: the card number and CVC are
   * never written into a page.
   */
  values?: { holder?: string | undefined; expiry?: string | undefined } | undefined;
  /** A sentence about the payment as a whole (a decline, a limit), shown above the form. */
  notice?: NoticeReasonKey | undefined;
  /** Attempts left on this order, shown when given. */
  attemptsLeft?: number | undefined;
  /** The customer's saved cards, payable in one step above the card form. */
  savedCards?: readonly SavedCardChoice[] | undefined;
  /** The order's `saveCard`: an unticked consent box (`optional`) or a sentence (`required`). */
  saveCard?: 'optional' | 'required' | null | undefined;
  nonce?: string | undefined;
}

/** What the enhancement script needs, sent as the form's `data-msg` JSON. */
function scriptMessages(m: Messages): string {
  const reasons = Object.values(FIELD_REASONS).flat() as FieldReasonKey[];
  const out: Record<string, string> = { brandNotAccepted: m.payment.brandNotAccepted, paying: m.payment.paying };
  for (const key of reasons) out[key] = m.reasons[key];
  return JSON.stringify(out);
}

// The same for every page in a language: built and escaped once per language, on first use.
const scriptMessagesByLocale = new Map<Locale, SafeHtml>();

function scriptMessagesAttribute(locale: Locale, m: Messages): SafeHtml {
  let value = scriptMessagesByLocale.get(locale);
  if (!value) scriptMessagesByLocale.set(locale, (value = html`${scriptMessages(m)}`));
  return value;
}

interface FieldSpec {
  field: CardField;
  label: string;
  autocomplete: string;
  numeric: boolean;
  maxlength: number;
  value?: string | undefined;
  hint?: string | undefined;
  /** Room for the brand badge beside the card number. */
  brand?: boolean;
}

/**
 * The marks of the two brands we take, drawn inline (no image request, nothing from a third
 * party; presentation attributes only, so the page's CSP holds).
 */
const BRAND_MARKS = html`<span class="marks"><svg role="img" aria-label="Visa" viewBox="0 0 48 30" width="40" height="25"><rect width="48" height="30" rx="4" fill="#1a1f71"/><text x="24" y="20" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" font-weight="700" font-style="italic" font-size="13" fill="#fff">VISA</text></svg><svg role="img" aria-label="Mastercard" viewBox="0 0 48 30" width="40" height="25"><rect x=".5" y=".5" width="47" height="29" rx="4" fill="#fff" stroke="#c9ced4"/><circle cx="19" cy="15" r="9" fill="#eb001b"/><circle cx="29" cy="15" r="9" fill="#f79e1b"/><path d="M24 7.4a9 9 0 0 1 0 15.2a9 9 0 0 1 0-15.2z" fill="#ff5f00"/></svg></span>`;

function field(spec: FieldSpec, m: Messages, error: FieldReasonKey | undefined, autofocus: boolean): SafeHtml {
  const id = FORM_FIELDS[spec.field];
  const described = [spec.hint && `${id}-hint`, spec.brand && `${id}-brand`, `${id}-error`].filter(Boolean).join(' ');
  return html`<div class="f">
<label for="${id}">${spec.label}</label>
<input id="${id}" name="${id}" type="text" data-check="${spec.field}"${attr('inputmode', spec.numeric && 'numeric')} autocomplete="${spec.autocomplete}" maxlength="${spec.maxlength}" spellcheck="false" required aria-describedby="${described}"${attr('value', spec.value)}${attr('aria-invalid', error && 'true')}${autofocus && html` autofocus`}>
${spec.hint && html`<span class="hint" id="${id}-hint">${spec.hint}</span>`}
${spec.brand && BRAND_MARKS}
${spec.brand && html`<span class="brand" id="${id}-brand" aria-live="polite"></span>`}
<p class="err" id="${id}-error" aria-live="polite">${error && m.reasons[error]}</p>
</div>`;
}

/** One form per saved card: a single button pays with it (the acquirer saved the card; no number is typed). */
function savedCardsSection(input: PaymentPageInput, m: Messages): SafeHtml | undefined {
  const cards = input.savedCards ?? [];
  if (cards.length === 0) return undefined;
  return html`<section class="saved" aria-labelledby="saved-cards-heading">
<h2 id="saved-cards-heading">${m.savedCards.heading}</h2>
${cards.map(
  (card) => html`<form method="post" action="${PAY_SAVED_PATH}" class="saved-card">
<input type="hidden" name="data" value="${input.token}">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
<input type="hidden" name="lang" value="${input.locale}">
<input type="hidden" name="cardToken" value="${card.cardToken}">
<button type="submit">${format(m.savedCards.payWith, { amount: input.amountText, currency: input.currency, card: card.card })}</button>
<span class="muted">${format(m.savedCards.expires, { expiry: card.expiry })}</span>
</form>`,
)}
</section>`;
}

/** The consent line of an order that saves the card: an unticked box, or a sentence agreed to by paying. */
function consentLine(input: PaymentPageInput, m: Messages): SafeHtml | undefined {
  if (input.saveCard === 'optional') {
    return html`<div class="f consent"><input type="checkbox" id="${SAVE_CARD_FIELD}" name="${SAVE_CARD_FIELD}" value="yes"> <label for="${SAVE_CARD_FIELD}">${format(m.savedCards.saveOptional, { merchant: input.merchantName })}</label></div>`;
  }
  if (input.saveCard === 'required') return html`<p class="consent">${format(m.savedCards.saveRequired, { merchant: input.merchantName })}</p>`;
  return undefined;
}

/**
 * The hosted payment page: order summary and a card form that posts to `PAY_PATH`. Works without
 * JavaScript; the script only adds formatting, brand display, early checks and a double-submit guard.
 */
export function renderPaymentPage(input: PaymentPageInput): string {
  const { locale, merchantName, amountText, currency, token, csrfToken, notice, attemptsLeft } = input;
  const m = messagesFor(locale);
  const p = m.payment;
  const errorOf = new Map<CardField, FieldReasonKey>();
  for (const e of input.errors ?? []) if (!errorOf.has(e.field)) errorOf.set(e.field, e.reason);
  const firstInvalid = (Object.keys(FORM_FIELDS) as CardField[]).find((f) => errorOf.has(f));
  const payLabel = format(p.pay, { amount: amountText, currency });
  const left = attemptsLeft !== undefined && html`<p>${plural(locale, p.attemptsLeft, attemptsLeft)}</p>`;

  const fieldHtml = (spec: FieldSpec) => field(spec, m, errorOf.get(spec.field), spec.field === firstInvalid);

  const body = html`<section aria-label="${p.summary}">
<h1 class="merchant">${merchantName}</h1>
<p class="amount">${amountText} <small>${currency}</small></p>
${input.remark && html`<p class="remark">${input.remark}</p>`}
</section>
${notice && html`<div class="notice" role="alert"><p>${m.reasons[notice]}</p>${left}</div>`}
${!notice && left && html`<div class="muted">${left}</div>`}
${errorOf.size > 0 &&
  html`<div class="summary" role="alert"><p>${p.errorSummary}</p><ul>${[...errorOf].map(
    ([f, reason]) => html`<li><a href="#${FORM_FIELDS[f]}">${m.reasons[reason]}</a></li>`,
  )}</ul></div>`}
${savedCardsSection(input, m)}
<form id="${CARD_FORM_ID}" method="post" action="${PAY_PATH}" novalidate data-msg="${scriptMessagesAttribute(locale, m)}">
<h2>${input.savedCards?.length ? m.savedCards.orNewCard : p.formHeading}</h2>
<p class="muted">${p.accepted}</p>
<input type="hidden" name="data" value="${token}">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="lang" value="${locale}">
${fieldHtml({ field: 'number', label: p.cardNumber, autocomplete: 'cc-number', numeric: true, maxlength: 23, brand: true })}
<div class="row">
${fieldHtml({ field: 'expiry', label: p.expiry, autocomplete: 'cc-exp', numeric: true, maxlength: 7, value: input.values?.expiry })}
${fieldHtml({ field: 'cvc', label: p.cvc, autocomplete: 'cc-csc', numeric: true, maxlength: 3, hint: p.cvcHint })}
</div>
${fieldHtml({ field: 'holder', label: p.holder, autocomplete: 'cc-name', numeric: false, maxlength: 64, value: input.values?.holder })}
${consentLine(input, m)}
<button type="submit" data-label="${payLabel}">${payLabel}</button>
<p class="muted">${p.secure}</p>
</form>`;

  return layout({
    locale,
    title: format(p.title, { merchant: merchantName }),
    body,
    nonce: input.nonce,
    withScript: true,
    token,
    skipTo: { id: CARD_FORM_ID, label: p.skipToForm },
  });
}
