import { invalidParameter, missingParameter, PayrailError, BusinessCode } from '../domain/errors.ts';
import { textOf, type WireBody, type WireValue } from '../domain/signature.ts';
import { checkNotifyUrl } from '../domain/merchant-url.ts';

/**
 * Readers for the fields of a signed body. Each names the field in its error, so a merchant
 * always learns which field and which rule failed.
 */
const isAbsent = (value: WireValue | undefined) => value === undefined || value === null || value === '';

/** The raw value of a field that must be present. */
export function required(body: WireBody, field: string): WireValue {
  const value = body[field];
  if (isAbsent(value)) throw missingParameter(field);
  return value as WireValue;
}

/** A text field; numbers are accepted as the text the merchant wrote (some clients send them unquoted). */
export function text(body: WireBody, field: string, rule: { max: number; min?: number; pattern?: RegExp; hint?: string }): string {
  const value = body[field];
  if (isAbsent(value)) throw missingParameter(field);
  const textValue = textOf(value);
  if (textValue === undefined) throw invalidParameter(field, 'must be a string');
  const length = [...textValue].length;
  if (length < (rule.min ?? 1) || length > rule.max) {
    throw invalidParameter(field, `must be ${rule.min ?? 1} to ${rule.max} characters long`);
  }
  if (rule.pattern && !rule.pattern.test(textValue)) throw invalidParameter(field, rule.hint ?? 'has an invalid format');
  return textValue;
}

export function optionalText(body: WireBody, field: string, rule: { max: number }): string | null {
  return isAbsent(body[field]) ? null : text(body, field, rule);
}

export const TRADE_NO = { max: 64, pattern: /^[A-Za-z0-9_-]+$/, hint: 'may only contain letters, digits, "_" and "-"' };
export const PLAT_FORM_TRADE_NO = { max: 16, min: 16, pattern: /^[0-9a-z]{16}$/, hint: 'must be 16 lowercase letters or digits' };

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the SMTP server's call.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

export const email = (body: WireBody, field: string) =>
  text(body, field, { max: 254, pattern: EMAIL, hint: 'must be an email address such as name@example.com' });

export function currency(body: WireBody, field = 'currency'): 'USD' {
  const value = text(body, field, { max: 8 });
  if (value !== 'USD') throw new PayrailError(BusinessCode.CurrencyUnsupported, `${field} ${value} is not supported; only USD`);
  return value;
}

/**
 * An absolute http(s) URL of at most 512 characters, without credentials; with `allowPrivate`
 * false, also not a literal private address or localhost (names are checked again at delivery).
 */
export function url(body: WireBody, field: string, options: { allowPrivate: boolean } = { allowPrivate: true }): string {
  const value = body[field];
  checkNotifyUrl(textOf(value) ?? value, { field, allowPrivate: options.allowPrivate });
  return value as string;
}
