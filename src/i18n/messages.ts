/**
 * The shape every locale's messages must have. `en.ts` is written against this type, and so is
 * every other locale: a key missing (or misspelt) in any locale is a compile error.
 *
 * Placeholders are `{name}` and are filled by `format()`; `messages.test.ts` checks that every
 * locale uses exactly the placeholders English uses.
 */

/** Why a card field was refused, by field. The prefix names the field the sentence belongs to. */
export const FIELD_REASONS = {
  number: ['card.required', 'card.format', 'card.luhn', 'card.brand'],
  expiry: ['expiry.format', 'expiry.past'],
  cvc: ['cvc.format'],
  holder: ['name.required', 'name.format'],
} as const;

/** The four inputs of the card form. Also their HTML `name`s are derived from these (see templates). */
export type CardField = keyof typeof FIELD_REASONS;

export type FieldReasonKey = (typeof FIELD_REASONS)[CardField][number];

/** Sentences about the payment as a whole, shown in a banner at the top of the page. */
export const NOTICE_REASONS = [
  /** The one generic decline sentence: never the issuer's reason (the merchant sees that). */
  'card.declined',
  'attempts.exhausted',
  'rate.limited',
  'threeds.failed',
  'system.error',
] as const;

export type NoticeReasonKey = (typeof NOTICE_REASONS)[number];

/** The 3-D Secure step's own field error. */
export type ChallengeReasonKey = 'code.format';

export type ReasonKey = FieldReasonKey | NoticeReasonKey | ChallengeReasonKey;

/** Why the cashier refuses to show a payable page; see `errorStatus` in the templates. */
export type ErrorReason = 'unknown' | 'expired' | 'closed' | 'paid' | 'failed' | 'rate' | 'bad_request';

/** A sentence that depends on a count; `one` is used where `Intl.PluralRules` says "one". */
export interface Plural {
  one: string;
  other: string;
}

export interface Messages {
  /** The language's own name, shown in the language switcher. */
  languageName: string;
  /** Accessible name of the language switcher. */
  languageNav: string;
  payment: {
    /** `<title>`; `{merchant}`. */
    title: string;
    /** Accessible name of the order summary. */
    summary: string;
    formHeading: string;
    accepted: string;
    cardNumber: string;
    expiry: string;
    cvc: string;
    cvcHint: string;
    holder: string;
    /** The submit button: `{amount}` `{currency}`, e.g. "Pay 300.00 USD". */
    pay: string;
    /** The submit button while the form is being sent (JavaScript only). */
    paying: string;
    errorSummary: string;
    attemptsLeft: Plural;
    /** Badge beside the card number when the typed prefix is a brand we refuse: `{brand}`. */
    brandNotAccepted: string;
    secure: string;
    /** The skip link at the top of the payment page, to the card form. */
    skipToForm: string;
  };
  /** Cards on file: a returning customer's saved cards, and the consent line of an order that saves the card. */
  savedCards: {
    heading: string;
    /** One saved card's one-step pay button: `{amount}`, `{currency}`, `{card}` (e.g. "Visa •••• 4242"). */
    payWith: string;
    /** `{expiry}`: MM/YY. */
    expires: string;
    orNewCard: string;
    /** The unticked checkbox of `saveCard: optional`: `{merchant}`. */
    saveOptional: string;
    /** The sentence of `saveCard: required`: `{merchant}`. */
    saveRequired: string;
  };
  challenge: {
    title: string;
    heading: string;
    intro: string;
    simulated: string;
    /** Shown only in test mode with the simulator: `{code}`, the code that passes. */
    testCode: string;
    code: string;
    submit: string;
    /** A processor's own 3-D Secure page: why the customer leaves, and the button that goes. */
    redirectIntro: string;
    redirectContinue: string;
  };
  result: {
    title: string;
    heading: string;
    merchant: string;
    amount: string;
    card: string;
    /** The merchant's own order number (its tradeNo), beside our reference. */
    orderNumber: string;
    reference: string;
    paidAt: string;
    /** Beside the link back to the merchant: `{merchant}`. */
    returnPrompt: string;
    returnLink: string;
    /** The countdown before the receipt goes on to the merchant by itself: `{merchant}`, `{seconds}`. */
    countdown: string;
    /** The control that stops the countdown. */
    stay: string;
    /** Said once the customer chose to stay. */
    stayed: string;
  };
  processing: {
    title: string;
    heading: string;
    body: string;
    checkAgain: string;
  };
  /** The database is away for a moment: the page retries by itself. */
  unavailable: {
    title: string;
    heading: string;
    body: string;
    tryAgain: string;
  };
  error: {
    /** `{status}`: the HTTP status, shown small. */
    code: string;
    titles: Record<ErrorReason, string>;
    bodies: Record<ErrorReason, string>;
  };
  reasons: Record<ReasonKey, string>;
  /** The receipt email (src/jobs/email/render-receipt.ts), in the language the customer paid in. */
  receipt: {
    /** `{amount}` (with currency), `{merchant}`. */
    paymentSubject: string;
    refundSubject: string;
    paymentHeading: string;
    refundHeading: string;
    /** `{amount}`, `{merchant}`. */
    paymentIntro: string;
    refundIntro: string;
    merchant: string;
    amountPaid: string;
    amountRefunded: string;
    card: string;
    paidAt: string;
    refundedAt: string;
    orderNumber: string;
    paymentReference: string;
    refundReference: string;
    /** `{merchant}`. */
    paymentFooter: string;
    refundFooter: string;
    processedBy: string;
  };
}
