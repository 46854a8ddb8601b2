import { format, messagesFor, type ChallengeReasonKey, type Locale, type NoticeReasonKey } from '../../i18n/index.ts';
import { attr, html } from '../../web/html.ts';
import { layout } from './layout.ts';

/** Where the verification form posts: fields `data` (the order token), `challengeId`, `code`, `_csrf`, `lang`. */
export const CHALLENGE_PATH = '/checkout/3ds';

export interface ChallengePageInput {
  locale: Locale;
  /** The order's opaque token, posted back as `data`. */
  token: string;
  /** Opaque id of the pending challenge, posted back as `challengeId`. */
  challengeId: string;
  csrfToken: string;
  /** Shown with the order so the customer knows what they confirm. */
  merchantName: string;
  amountText: string;
  currency: string;
  /** `code.format` sits beside the field; any other reason is a banner above the form. */
  error?: ChallengeReasonKey | NoticeReasonKey | undefined;
  /**
   * The code that passes, shown only in test mode with the simulator (the caller decides): a
   * tester should not have to look it up.
   */
  testCode?: string | undefined;
  /**
   * Name and expiry from the card form, carried through the challenge as hidden fields so a
   * failed 3-D Secure fills them back in like a decline does. Never the card number or CVC.
   */
  values?: { holder?: string | undefined; expiry?: string | undefined } | undefined;
  nonce?: string | undefined;
}

/** The simulated issuer's 3-D Secure step: one "Verification code" field and a "Submit" button. */
export function renderChallengePage(input: ChallengePageInput): string {
  const { locale, error } = input;
  const m = messagesFor(locale);
  const c = m.challenge;
  const fieldError = error === 'code.format' ? error : undefined;
  const banner = error !== undefined && error !== 'code.format' ? error : undefined;
  const body = html`<h1>${c.heading}</h1>
<p class="amount">${input.amountText} <small>${input.currency}</small></p>
<p class="merchant">${input.merchantName}</p>
${banner && html`<div class="notice" role="alert"><p>${m.reasons[banner]}</p></div>`}
<p>${c.intro}</p>
<p class="muted">${c.simulated}</p>
${input.testCode && html`<p class="test-code">${format(c.testCode, { code: input.testCode })}</p>`}
<form method="post" action="${CHALLENGE_PATH}" novalidate data-msg="${JSON.stringify({ 'code.format': m.reasons['code.format'], paying: m.payment.paying })}">
<input type="hidden" name="data" value="${input.token}">
<input type="hidden" name="challengeId" value="${input.challengeId}">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
<input type="hidden" name="lang" value="${locale}">
${input.values?.holder && html`<input type="hidden" name="holder" value="${input.values.holder}">`}
${input.values?.expiry && html`<input type="hidden" name="expiry" value="${input.values.expiry}">`}
<div class="f">
<label for="code">${c.code}</label>
<input id="code" name="code" type="text" data-check="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" spellcheck="false" required aria-describedby="code-error"${attr('aria-invalid', fieldError && 'true')}${fieldError && html` autofocus`}>
<p class="err" id="code-error" aria-live="polite">${fieldError && m.reasons[fieldError]}</p>
</div>
<button type="submit" data-label="${c.submit}">${c.submit}</button>
</form>`;
  return layout({ locale, title: c.title, body, nonce: input.nonce, withScript: true });
}
