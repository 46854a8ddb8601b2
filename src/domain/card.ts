import { Secret } from './secret.ts';

/**
 * Card checks the cashier page runs before anything leaves for an acquirer (docs/api.md, "The cashier page").
 * Pure: no I/O, the clock comes in as `now`.
 *
 * A failed check is a field name and a machine reason key (`card.luhn`, `expiry.past`...),
 * never a sentence, so that the page can say it in the customer's language.
 */

/** The brands the gateway accepts. */
export type CardBrand = 'visa' | 'mastercard';

/** A card of any other network (Amex, Discover, JCB...) is recognised only to be refused. */
export type DetectedBrand = CardBrand | 'unsupported';

/** The fields of the card form, named as the page names its inputs. */
export type CardField = 'number' | 'expiry' | 'cvc' | 'holder';

/**
 * Why a field was refused. The prefix names the rule's subject (`card.` for the number);
 * the page keeps one translation per key.
 */
export type CardErrorReason =
  /** Nothing was typed. */
  | 'card.required'
  /** Something other than digits, spaces and dashes. */
  | 'card.format'
  /** Not Visa or Mastercard: "brand not accepted". */
  | 'card.brand'
  /** Too short or too long for its brand. */
  | 'card.length'
  /** Fails the Luhn check digit: a typo. */
  | 'card.luhn'
  | 'expiry.required'
  /** Not MM/YY, MM / YY, MMYY or MM/YYYY. */
  | 'expiry.format'
  /** Month outside 01–12. */
  | 'expiry.month'
  /** The card's last valid month is before the current month. */
  | 'expiry.past'
  | 'cvc.required'
  /** Not exactly three digits. */
  | 'cvc.format'
  | 'holder.required'
  /** More than 64 characters. */
  | 'holder.length'
  /** Contains a control character (U+0000–U+001F, U+007F–U+009F). */
  | 'holder.control';

export interface CardFieldError {
  field: CardField;
  reason: CardErrorReason;
}

/** A card's last valid month: it is good until the end of `month` of `year` (four digits). */
export interface Expiry {
  month: number;
  year: number;
}

/** What the customer typed, as the form posts it; a missing field counts as empty. */
export type CardInput = Readonly<Partial<Record<CardField, string>>>;

/** A card that passed every check. Number and CVC are wrapped so they cannot be logged. */
export interface Card {
  /** Digits only. */
  number: Secret<string>;
  /** Three digits. Never stored: it goes to the acquirer and is dropped. */
  cvc: Secret<string>;
  brand: CardBrand;
  expiry: Expiry;
  /** Trimmed, NFC-normalised. */
  holder: string;
  /** First six digits: the issuer's identification number, safe to keep. */
  bin: string;
  /** Last four digits, safe to keep and show. */
  last4: string;
}

export type CardValidation = { ok: true; card: Card } | { ok: false; errors: CardFieldError[] };

/** The answer of one field's check: its value, or the first rule it breaks. */
export type FieldCheck<T> = { ok: true; value: T } | { ok: false; reason: CardErrorReason };

const pass = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
const fail = (reason: CardErrorReason): FieldCheck<never> => ({ ok: false, reason });

// Shortest and longest card numbers of any network; outside this range the number is incomplete
// or mistyped, which says more to the customer than "brand not accepted".
const MIN_PAN_LENGTH = 13;
const MAX_PAN_LENGTH = 19;
const LENGTHS: Record<CardBrand, readonly number[]> = { visa: [13, 16, 19], mastercard: [16] };
const HOLDER_MAX_LENGTH = 64;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Strips the spaces and dashes people type or paste into a card number (any white space, in fact). */
export function normalizePan(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check. False for anything that is not a non-empty string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Visa is `4…`; Mastercard is `51–55…` and `2221–2720…`; anything else is unsupported. */
export function detectBrand(pan: string): DetectedBrand {
  if (pan.startsWith('4')) return 'visa';
  const two = Number(pan.slice(0, 2));
  if (pan.length >= 2 && two >= 51 && two <= 55) return 'mastercard';
  const four = Number(pan.slice(0, 4));
  if (pan.length >= 4 && /^[0-9]{4}/.test(pan) && four >= 2221 && four <= 2720) return 'mastercard';
  return 'unsupported';
}

const digitsOf = (pan: string | Secret<string>) => normalizePan(typeof pan === 'string' ? pan : pan.reveal());

/** First six digits. */
export const bin = (pan: string | Secret<string>): string => digitsOf(pan).slice(0, 6);

/** Last four digits. */
export const last4 = (pan: string | Secret<string>): string => digitsOf(pan).slice(-4);

/** The form shown on receipts and in logs: `•••• 4242`. */
export const maskPan = (pan: string | Secret<string>): string => `•••• ${last4(pan)}`;

const BRAND_NAMES: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard' };

/** A stored card as customers and operators see it, from what is kept: "Visa •••• 4242". */
export const maskedCard = (brand: string | null, lastFour: string | null): string =>
  lastFour ? `${BRAND_NAMES[brand ?? ''] ?? brand ?? 'Card'} •••• ${lastFour}` : '';

/** Wraps a card number so that printing it shows only `•••• 4242`. */
export const secretPan = (pan: string): Secret<string> => new Secret(pan, maskPan(pan));

/** Wraps a CVC so that printing it shows `•••`. */
export const secretCvc = (cvc: string): Secret<string> => new Secret(cvc, '•••');

/** Checks a typed card number: the digits and brand, or why not. */
export function checkNumber(typed: string | undefined): FieldCheck<{ digits: string; brand: CardBrand }> {
  const digits = normalizePan(typed ?? '');
  if (digits === '') return fail('card.required');
  if (!/^[0-9]+$/.test(digits)) return fail('card.format');
  if (digits.length < MIN_PAN_LENGTH || digits.length > MAX_PAN_LENGTH) return fail('card.length');
  const brand = detectBrand(digits);
  if (brand === 'unsupported') return fail('card.brand');
  if (!LENGTHS[brand].includes(digits.length)) return fail('card.length');
  if (!luhnValid(digits)) return fail('card.luhn');
  return pass({ digits, brand });
}

// "MM/YY", "MM / YY", "M/YY", "MM/YYYY" with a slash; "MMYY" or "MMYYYY" without, where the month
// must have two digits to be read unambiguously.
const EXPIRY_WITH_SLASH = /^([0-9]{1,2})\s*\/\s*([0-9]{2}|[0-9]{4})$/;
const EXPIRY_COMPACT = /^([0-9]{2})([0-9]{2}|[0-9]{4})$/;

/** Reads an expiry as typed. Two-digit years are 20YY. Does not look at the clock. */
export function parseExpiry(typed: string | undefined): FieldCheck<Expiry> {
  const text = (typed ?? '').trim();
  if (text === '') return fail('expiry.required');
  const match = EXPIRY_WITH_SLASH.exec(text) ?? EXPIRY_COMPACT.exec(text);
  if (!match) return fail('expiry.format');
  const month = Number(match[1]);
  const yearText = match[2]!;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  if (month < 1 || month > 12) return fail('expiry.month');
  return pass({ month, year });
}

/**
 * A card is good through the last day of its expiry month. Months are compared in UTC, so
 * near midnight on the last day a customer far from UTC may be a few hours early or late;
 * the issuer has the final word anyway.
 */
export function isExpired(expiry: Expiry, now: Date): boolean {
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return expiry.year * 12 + (expiry.month - 1) < current;
}

export function checkExpiry(typed: string | undefined, now: Date): FieldCheck<Expiry> {
  const expiry = parseExpiry(typed);
  if (expiry.ok && isExpired(expiry.value, now)) return fail('expiry.past');
  return expiry;
}

/** Exactly three digits (the accepted brands use three; Amex's four never gets this far). */
export function checkCvc(typed: string | undefined): FieldCheck<string> {
  const cvc = (typed ?? '').trim();
  if (cvc === '') return fail('cvc.required');
  return /^[0-9]{3}$/.test(cvc) ? pass(cvc) : fail('cvc.format');
}

/** 1–64 characters (code points, after trimming), none of them a control character. */
export function checkHolder(typed: string | undefined): FieldCheck<string> {
  const holder = (typed ?? '').trim().normalize('NFC');
  if (holder === '') return fail('holder.required');
  if (CONTROL_CHARACTER.test(holder)) return fail('holder.control');
  if ([...holder].length > HOLDER_MAX_LENGTH) return fail('holder.length');
  return pass(holder);
}

/**
 * Runs every check of the card form. Answers the card, ready for an acquirer, or one error per
 * failing field (the first rule that field breaks), in form order.
 */
export function validateCard(input: CardInput, now: Date): CardValidation {
  const number = checkNumber(input.number);
  const expiry = checkExpiry(input.expiry, now);
  const cvc = checkCvc(input.cvc);
  const holder = checkHolder(input.holder);

  if (!number.ok || !expiry.ok || !cvc.ok || !holder.ok) {
    const errors: CardFieldError[] = [];
    if (!number.ok) errors.push({ field: 'number', reason: number.reason });
    if (!expiry.ok) errors.push({ field: 'expiry', reason: expiry.reason });
    if (!cvc.ok) errors.push({ field: 'cvc', reason: cvc.reason });
    if (!holder.ok) errors.push({ field: 'holder', reason: holder.reason });
    return { ok: false, errors };
  }
  const { digits, brand } = number.value;
  return {
    ok: true,
    card: {
      number: secretPan(digits),
      cvc: secretCvc(cvc.value),
      brand,
      expiry: expiry.value,
      holder: holder.value,
      bin: bin(digits),
      last4: last4(digits),
    },
  };
}
