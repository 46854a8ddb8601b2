/** The cashier's pages as pure functions of their input: each returns a complete HTML document. */
export { CHALLENGE_PATH, renderChallengePage, type ChallengePageInput } from './challenge-page.ts';
export { errorStatus, renderErrorPage, type ErrorPageInput, type ErrorStatus } from './error-page.ts';
export { escapeHtml, html, type SafeHtml } from '../../web/html.ts';
export { CHECKOUT_PATH, checkoutUrl } from './layout.ts';
export {
  FORM_FIELDS,
  PAY_PATH,
  PAY_SAVED_PATH,
  SAVE_CARD_FIELD,
  renderPaymentPage,
  type SavedCardChoice,
  type FieldError,
  type PaymentPageInput,
} from './payment-page.ts';
export { PROCESSING_REFRESH_SECONDS, renderProcessingPage, type ProcessingPageInput } from './processing-page.ts';
export { renderRedirectPage, type RedirectPageInput } from './redirect-page.ts';
export { UNAVAILABLE_REFRESH_SECONDS, renderUnavailablePage, type UnavailablePageInput } from './unavailable-page.ts';
export { renderResultPage, type ResultPageInput } from './result-page.ts';
