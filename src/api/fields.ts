import { Type, type TString } from '@sinclair/typebox';
import { invalidParameter, missingParameter, PayrailError, BusinessCode } from '../domain/errors.ts';
import { isNumberText, textOf, type WireBody, type WireValue } from '../domain/signature.ts';
import { checkNotifyUrl, NOTIFY_URL_MAX_LENGTH } from '../domain/merchant-url.ts';
import { AMOUNT_PATTERN, parseAmount, type Cents } from '../domain/money.ts';
import { CARD_TOKEN_PATTERN } from '../domain/saved-card.ts';

/**
 * The field rules of the merchant API, as data, and the readers that apply them. A rule is the
 * TypeBox schema of the field: the OpenAPI document shows its `minLength`, `maxLength`,
 * `pattern`, `enum` and `x-hint` (the sentence an error adds), and the reader checks exactly
 * those keywords, so the document and the check cannot say different things. Each reader names
 * the field in its error, so a merchant always learns which field and which rule failed.
 */
export type FieldRule = TString & { maxLength?: number; minLength?: number; pattern?: string; enum?: string[]; 'x-hint'?: string };

/** A text field's rule: at most `maxLength` characters (counted as code points), at least `minLength` (default 1). */
export const textRule = (rule: { maxLength: number; minLength?: number; pattern?: string; hint?: string; enum?: string[] }, doc: { description: string; example?: string }): FieldRule =>
  Type.String({
    ...(rule.enum ? { enum: rule.enum } : {}),
    minLength: rule.minLength ?? 1,
    maxLength: rule.maxLength,
    ...(rule.pattern ? { pattern: rule.pattern } : {}),
    ...(rule.hint ? { 'x-hint': rule.hint } : {}),
    description: doc.description,
    ...(doc.example !== undefined ? { examples: [doc.example] } : {}),
  }) as FieldRule;

/** The same rule with another description (e.g. `tradeNo` of a payout rather than of an order). */
export const describedAs = (rule: FieldRule, description: string, example?: string): FieldRule =>
  ({ ...rule, description, ...(example !== undefined ? { examples: [example] } : {}) }) as FieldRule;

const isAbsent = (value: WireValue | undefined) => value === undefined || value === null || value === '';

export const absent = (body: WireBody, field: string) => isAbsent(body[field]);

const compiled = new Map<string, RegExp>();

/** The raw value of a field that must be present. */
export function required(body: WireBody, field: string): WireValue {
  const value = body[field];
  if (isAbsent(value)) throw missingParameter(field);
  return value as WireValue;
}

/**
 * The value of a field the contract calls a string: a JSON string only. A JSON number (an
 * unquoted card number, say) is `8002` naming the field; only `amount` and `timestamp` may be
 * numbers, and they have their own readers.
 */
export function stringValue(body: WireBody, field: string): string {
  const value = body[field];
  if (isAbsent(value)) throw missingParameter(field);
  if (typeof value !== 'string') throw invalidParameter(field, isNumberText(value) ? 'must be a JSON string, not a number (put it in quotes)' : 'must be a string');
  return value;
}

/** A text field, checked against its rule. */
export function text(body: WireBody, field: string, rule: FieldRule): string {
  const textValue = stringValue(body, field);
  const length = [...textValue].length;
  const min = rule.minLength ?? 1;
  const max = rule.maxLength ?? Number.POSITIVE_INFINITY;
  if (length < min || length > max) throw invalidParameter(field, `must be ${min} to ${max} characters long`);
  if (rule.pattern && !patternOf(rule.pattern).test(textValue)) throw invalidParameter(field, rule['x-hint'] ?? 'has an invalid format');
  return textValue;
}

export function optionalText(body: WireBody, field: string, rule: FieldRule): string | null {
  return isAbsent(body[field]) ? null : text(body, field, rule);
}

/** A text field that must be one of the rule's `enum`; anything else is `8002` saying what is supported. */
export function oneOf(body: WireBody, field: string, rule: FieldRule): string {
  const value = text(body, field, rule);
  const allowed = rule.enum ?? [];
  if (!allowed.includes(value)) throw invalidParameter(field, `must be ${allowed.join(' or ')}; ${value} is not supported`);
  return value;
}

/** The rule's pattern, compiled once. */
export const patternOf = (pattern: string) => compiled.get(pattern) ?? compiled.set(pattern, new RegExp(pattern)).get(pattern)!;

export const TRADE_NO = textRule(
  { maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', hint: 'may only contain letters, digits, "_" and "-"' },
  { description: 'Your order number: 1–64 of `A-Z a-z 0-9 _ -`, unique per merchant.', example: 'ORDER-1001' },
);
export const PLAT_FORM_TRADE_NO = textRule(
  { maxLength: 16, minLength: 16, pattern: '^[0-9a-z]{16}$', hint: 'must be 16 lowercase letters or digits' },
  { description: "The gateway's order id: 16 lowercase letters and digits.", example: '7zbnhv6xo47lyuo7' },
);

export const DISPUTE_NO = textRule(
  { maxLength: 16, minLength: 16, pattern: '^dp[0-9a-z]{14}$', hint: 'must be dp and 14 lowercase letters or digits' },
  { description: "The gateway's dispute id: `dp` and 14 lowercase letters and digits.", example: 'dp4k2m9x0a1b2c3d' },
);

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the SMTP server's call.
export const EMAIL = textRule(
  { maxLength: 254, pattern: '^[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+$', hint: 'must be an email address such as name@example.com' },
  { description: 'An email address, at most 254 characters.', example: 'buyer@example.com' },
);

export const email = (body: WireBody, field: string, rule: FieldRule = EMAIL) => text(body, field, rule);

export const MOBILE = textRule(
  { maxLength: 16, pattern: '^\\+?[0-9]{6,15}$', hint: 'must be a country code and number, 6 to 15 digits, optionally after "+"' },
  { description: 'Country code and number, 6–15 digits, optionally after `+`.', example: '918234567890' },
);

/** The merchant's id for a customer whose cards it keeps (docs/api.md, "Cards on file"). */
export const CUSTOMER_ID = textRule(
  { maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', hint: 'may only contain letters, digits, "_" and "-"' },
  { description: 'Your id for the customer whose saved cards these are: 1–64 of `A-Z a-z 0-9 _ -`.', example: 'cus-42' },
);

export const CARD_TOKEN = textRule(
  { maxLength: 27, minLength: 27, pattern: CARD_TOKEN_PATTERN, hint: 'must be ct_ followed by 24 lowercase letters or digits' },
  { description: 'A saved card: `ct_` and 24 lowercase letters or digits, as a paid order answered it.', example: 'ct_3k9w0c2m7x1p5q8r4t6v0y2z' },
);

export const REMARK = textRule({ maxLength: 256 }, { description: 'Optional, at most 256 characters, returned as is everywhere.', example: 'Two seats, row F' });

export const CURRENCY = textRule({ maxLength: 8, enum: ['USD'] }, { description: 'Only `USD` (`8006` otherwise).', example: 'USD' });

export function currency(body: WireBody, field = 'currency', rule: FieldRule = CURRENCY): 'USD' {
  const value = text(body, field, rule);
  if (!rule.enum!.includes(value)) throw new PayrailError(BusinessCode.CurrencyUnsupported, `${field} ${value} is not supported; only ${rule.enum!.join(', ')}`);
  return value as 'USD';
}

/** A wire amount: parsed by domain/money.ts, whose pattern the document shows. */
export const AMOUNT = Type.Union(
  [Type.String({ pattern: AMOUNT_PATTERN.source }), Type.Number({ exclusiveMinimum: 0, maximum: 999_999_999.99 })],
  {
    description:
      'A JSON string, 1–9 digits with at most two decimals, more than zero (`8007` otherwise). A JSON number written with the same digits (`300`, `12.5`, `300.00`) is accepted too and signed as written; `1e3`, `-0`, `0.001` or more than 9 digits are `8007`.',
    examples: ['300.00'],
  },
);

/**
 * An amount field: a JSON string or a JSON number, either one under the same rule (domain/money.ts):
 * a number counts by the text it was written with, which is also what it is signed as. Anything
 * else is `8007` naming the field.
 */
export function amountOf(body: WireBody, field = 'amount'): Cents {
  const value = body[field];
  if (isAbsent(value)) throw missingParameter(field);
  const written = textOf(value);
  if (written === undefined) throw new PayrailError(BusinessCode.AmountInvalid, `${field} must be a string such as "300.00" or a number such as 300`);
  return parseAmount(written, field);
}

/** An absolute http(s) URL (the rule of domain/merchant-url.ts). */
export const URL_RULE = Type.String({
  format: 'uri',
  maxLength: NOTIFY_URL_MAX_LENGTH,
  description: `Absolute \`http\`/\`https\` URL, at most ${NOTIFY_URL_MAX_LENGTH} characters, no credentials (\`8013\`).`,
  examples: ['https://merchant.example/notify'],
});

/**
 * An absolute http(s) URL of at most 512 characters, without credentials; with `allowPrivate`
 * false, also not a literal private address or localhost (names are checked again at delivery).
 */
export function url(body: WireBody, field: string, options: { allowPrivate: boolean } = { allowPrivate: true }): string {
  const value = body[field];
  checkNotifyUrl(value, { field, allowPrivate: options.allowPrivate });
  return value as string;
}
