import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { en } from './en.ts';
import {
  DEFAULT_LOCALE,
  FIELD_REASONS,
  LOCALES,
  NOTICE_REASONS,
  format,
  formatUtcDateTime,
  messagesFor,
  pickLocale,
  plural,
  type Messages,
} from './index.ts';

// Compile-time half of "every locale has every key": `tsc --noEmit` fails if these stop failing.
const { 'card.brand': _dropped, ...reasonsWithoutOne } = en.reasons;
// @ts-expect-error a locale without one reason sentence does not compile
const _missingReason: Messages = { ...en, reasons: reasonsWithoutOne };
// @ts-expect-error a locale with an unknown key does not compile
const _extraKey: Messages = { ...en, payment: { ...en.payment, payNow: 'Pay now' } };
void _missingReason;
void _extraKey;

/** Every leaf of a messages object, as "a.b.c" → string. */
function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') return out.set(prefix, value);
  for (const [key, child] of Object.entries(value as object)) {
    for (const [path, text] of leaves(child, prefix ? `${prefix}.${key}` : key)) out.set(path, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  const english = leaves(en);

  it.each(LOCALES)('%s has exactly the keys English has, each a non-empty sentence', (locale) => {
    const own = leaves(messagesFor(locale));
    expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of own) expect(text.trim(), `${locale} ${key}`).not.toBe('');
  });

  it.each(LOCALES)('%s uses the same placeholders as English in every sentence', (locale) => {
    for (const [key, text] of leaves(messagesFor(locale))) {
      expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(english.get(key) ?? ''));
    }
  });

  it('has a sentence for every reason key the pages can show', () => {
    const keys = [...Object.values(FIELD_REASONS).flat(), ...NOTICE_REASONS, 'code.format'];
    expect(Object.keys(en.reasons).sort()).toEqual([...keys].sort());
  });

  it('uses the spec wording in English', () => {
    expect(en.payment.cardNumber).toBe('Card number');
    expect(en.payment.expiry).toBe('Expiry (MM/YY)');
    expect(en.payment.cvc).toBe('CVC');
    expect(en.payment.holder).toBe('Name on card');
    expect(en.challenge.code).toBe('Verification code');
    expect(en.challenge.submit).toBe('Submit');
    expect(en.reasons['card.brand']).toBe('This card brand is not accepted. Use Visa or Mastercard.');
    expect(en.reasons['card.declined']).toBe('Your card was declined. Please try another card.');
  });

  it('gives each locale its own language name for the switcher', () => {
    const names = LOCALES.map((l) => messagesFor(l).languageName);
    expect(new Set(names).size).toBe(LOCALES.length);
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, undefined, 'en'],
    ['', undefined, 'en'],
    ['fr-FR,fr;q=0.9', undefined, 'en'],
    ['es-MX,es;q=0.9,en;q=0.8', undefined, 'es'],
    ['pt-BR', undefined, 'pt'],
    ['HI-in', undefined, 'hi'],
    ['id', undefined, 'id'],
    ['in', undefined, 'id'],
    ['en;q=0.5, id;q=0.9', undefined, 'id'],
    ['fr, de;q=0.9, pt;q=0.1', undefined, 'pt'],
    ['es;q=0, en;q=0.1', undefined, 'en'],
    ['es;q=0', undefined, 'en'],
    ['es;q=abc, pt;q=0.2', undefined, 'pt'],
    ['hi;q=0.8, es;q=0.8', undefined, 'hi'],
    ['*', undefined, 'en'],
    ['es', 'pt', 'pt'],
    ['es', 'PT-br', 'pt'],
    ['es', 'xx', 'es'],
    ['es', '', 'es'],
    [undefined, 'hi', 'hi'],
  ] as const)('Accept-Language %j with ?lang=%j picks %s', (header, query, expected) => {
    expect(pickLocale(header, query)).toBe(expected);
  });

  it('reads only the start of an absurdly long header', () => {
    expect(pickLocale(`${'xx;q=0.1,'.repeat(10_000)}es`)).toBe(DEFAULT_LOCALE);
  });
});

describe('format and plural', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('Pay {amount} {currency}', { amount: '300.00', currency: 'USD' })).toBe('Pay 300.00 USD');
    expect(format('Pay {amount}', {})).toBe('Pay {amount}');
  });

  it('chooses the plural form by the locale rules', () => {
    expect(plural('en', en.payment.attemptsLeft, 1)).toBe('You have 1 attempt left.');
    expect(plural('en', en.payment.attemptsLeft, 4)).toBe('You have 4 attempts left.');
    expect(plural('es', messagesFor('es').payment.attemptsLeft, 2)).toBe('Te quedan 2 intentos.');
  });
});

describe('formatUtcDateTime', () => {
  it('answers what Intl formats for the moment, whatever moments and languages came before', () => {
    const moment = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });
    // Runs of moments close together, so the last minute kept is often the one asked for again.
    const near = fc.tuple(moment, fc.array(fc.integer({ min: -90_000, max: 90_000 }), { maxLength: 6 })).map(([start, steps]) => steps.map((step) => new Date(start.getTime() + step)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...LOCALES), near), { maxLength: 8 }), (runs) => {
        for (const [locale, moments] of runs) {
          const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
          for (const at of moments) expect(formatUtcDateTime(locale, at)).toBe(intl.format(at));
        }
      }),
    );
  });
});
