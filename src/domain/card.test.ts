import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bin,
  checkHolder,
  checkNumber,
  detectBrand,
  last4,
  luhnValid,
  maskPan,
  normalizePan,
  parseExpiry,
  validateCard,
  type CardInput,
  maskedCard,
} from './card.ts';

const now = new Date('2025-11-25T12:00:00Z');
const good: CardInput = { number: '4242 4242 4242 4242', expiry: '12/30', cvc: '123', holder: 'Ada Lovelace' };

const reasonFor = (input: CardInput, field: string) => {
  const result = validateCard({ ...good, ...input }, now);
  return result.ok ? undefined : result.errors.find((error) => error.field === field)?.reason;
};

/** Appends the digit that makes `body` pass the Luhn check. */
const withCheckDigit = (body: string) => {
  for (let digit = 0; digit <= 9; digit++) if (luhnValid(body + digit)) return body + digit;
  throw new Error('unreachable');
};

describe('the Luhn check', () => {
  it('passes every test card of the wire contract', () => {
    for (const pan of [
      '4242424242424242', '5555555555554444', '2223003122003222', '4000000000000002', '4000000000009995',
      '4000000000000069', '4000000000000127', '4000000000000119', '4000000000003220', '5200000000002151',
      '4000000000003063', '378282246310005',
    ]) {
      expect(luhnValid(pan), pan).toBe(true);
    }
  });

  it('fails 4242 4242 4242 4241', () => {
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(reasonFor({ number: '4242 4242 4242 4241' }, 'number')).toBe('card.luhn');
  });

  it('fails anything that is not digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4242 4242 4242 4242')).toBe(false);
  });

  it('catches every single mistyped digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
        const pan = withCheckDigit(body);
        const index = at % pan.length;
        const changed = (Number(pan[index]) + shift) % 10;
        const typo = pan.slice(0, index) + changed + pan.slice(index + 1);
        expect(luhnValid(typo)).toBe(false);
      }),
    );
  });
});

describe('brands', () => {
  const padded = (prefix: string) => withCheckDigit(prefix.padEnd(15, '0'));

  it('accepts Mastercard from 2221 to 2720 and nothing either side', () => {
    expect(detectBrand(padded('2220'))).toBe('unsupported');
    expect(detectBrand(padded('2221'))).toBe('mastercard');
    expect(detectBrand(padded('2720'))).toBe('mastercard');
    expect(detectBrand(padded('2721'))).toBe('unsupported');
  });

  it('accepts Mastercard from 51 to 55 and nothing either side', () => {
    expect(detectBrand(padded('50'))).toBe('unsupported');
    for (const prefix of ['51', '52', '53', '54', '55']) expect(detectBrand(padded(prefix))).toBe('mastercard');
    expect(detectBrand(padded('56'))).toBe('unsupported');
  });

  it('accepts Visa as any number starting with 4', () => {
    expect(detectBrand('4000000000000002')).toBe('visa');
  });

  it('refuses Amex (34, 37) as "brand not accepted"', () => {
    expect(detectBrand('378282246310005')).toBe('unsupported');
    expect(reasonFor({ number: '3782 822463 10005' }, 'number')).toBe('card.brand');
    expect(reasonFor({ number: withCheckDigit('34000000000000') }, 'number')).toBe('card.brand');
  });

  it('refuses Discover and other networks', () => {
    expect(reasonFor({ number: '6011 1111 1111 1117' }, 'number')).toBe('card.brand');
  });

  it('agrees with the ranges of the wire contract for every prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{16}$/), (pan) => {
        const two = Number(pan.slice(0, 2));
        const four = Number(pan.slice(0, 4));
        const expected =
          pan[0] === '4' ? 'visa' : (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) ? 'mastercard' : 'unsupported';
        expect(detectBrand(pan)).toBe(expected);
      }),
    );
  });
});

describe('the card number', () => {
  it('ignores spaces and dashes as typed', () => {
    expect(normalizePan(' 4242-4242 4242\u00a04242 ')).toBe('4242424242424242');
    expect(validateCard({ ...good, number: '4242-4242-4242-4242' }, now).ok).toBe(true);
  });

  it('normalising twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string(), (typed) => {
        expect(normalizePan(normalizePan(typed))).toBe(normalizePan(typed));
      }),
    );
  });

  it('refuses letters, emptiness and wrong lengths', () => {
    expect(reasonFor({ number: '4242 4242 4242 424x' }, 'number')).toBe('card.format');
    expect(reasonFor({ number: '   ' }, 'number')).toBe('card.required');
    expect(reasonFor({ number: undefined }, 'number')).toBe('card.required');
    expect(reasonFor({ number: '4242' }, 'number')).toBe('card.length');
    expect(reasonFor({ number: withCheckDigit('4'.padEnd(19, '0')) }, 'number')).toBe('card.length');
    // Mastercard is 16 digits only, Visa 13, 16 or 19.
    expect(reasonFor({ number: withCheckDigit('5555'.padEnd(12, '0')) }, 'number')).toBe('card.length');
    expect(reasonFor({ number: withCheckDigit('4'.padEnd(12, '0')) }, 'number')).toBeUndefined();
    expect(reasonFor({ number: withCheckDigit('4'.padEnd(18, '0')) }, 'number')).toBeUndefined();
  });

  it('accepts every Luhn-valid 16-digit Visa or Mastercard', () => {
    const visa = fc.stringMatching(/^4[0-9]{14}$/);
    const mastercard = fc.oneof(
      fc.tuple(fc.integer({ min: 51, max: 55 }), fc.stringMatching(/^[0-9]{13}$/)).map(([p, r]) => `${p}${r}`),
      fc.tuple(fc.integer({ min: 2221, max: 2720 }), fc.stringMatching(/^[0-9]{11}$/)).map(([p, r]) => `${p}${r}`),
    );
    fc.assert(
      fc.property(fc.oneof(visa, mastercard), (body) => {
        const check = checkNumber(withCheckDigit(body));
        expect(check.ok).toBe(true);
      }),
    );
  });

  it('is shown masked, with its BIN and last four digits', () => {
    expect(maskPan('4242 4242 4242 4242')).toBe('•••• 4242');
    expect(bin('5555 5555 5555 4444')).toBe('555555');
    expect(last4('5555-5555-5555-4444')).toBe('4444');
  });
});

describe('the expiry', () => {
  it('reads MM/YY, MM / YY, MMYY and MM/YYYY', () => {
    for (const typed of ['12/30', '12 / 30', '1230', '12/2030', ' 12/30 ']) {
      expect(parseExpiry(typed), typed).toEqual({ ok: true, value: { month: 12, year: 2030 } });
    }
    expect(parseExpiry('1/30')).toEqual({ ok: true, value: { month: 1, year: 2030 } });
  });

  it('refuses other shapes and impossible months', () => {
    for (const typed of ['12-30', '12/3', '130', 'ab/cd', '12/301']) expect(parseExpiry(typed), typed).toMatchObject({ ok: false, reason: 'expiry.format' });
    expect(parseExpiry('13/30')).toMatchObject({ reason: 'expiry.month' });
    expect(parseExpiry('00/30')).toMatchObject({ reason: 'expiry.month' });
    expect(parseExpiry('')).toMatchObject({ reason: 'expiry.required' });
  });

  it('is good through the end of its month and refused after', () => {
    expect(reasonFor({ expiry: '11/25' }, 'expiry')).toBeUndefined();
    expect(reasonFor({ expiry: '10/25' }, 'expiry')).toBe('expiry.past');
    expect(reasonFor({ expiry: '12/24' }, 'expiry')).toBe('expiry.past');
  });

  it('any month/year reads back in every accepted format, and is past exactly when before now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (month, year, clock) => {
        const mm = String(month).padStart(2, '0');
        const yy = String(year % 100).padStart(2, '0');
        for (const typed of [`${mm}/${yy}`, `${mm} / ${yy}`, `${mm}${yy}`, `${mm}/${year}`]) {
          expect(parseExpiry(typed)).toEqual({ ok: true, value: { month, year } });
        }
        const past = year < clock.getUTCFullYear() || (year === clock.getUTCFullYear() && month < clock.getUTCMonth() + 1);
        const result = validateCard({ ...good, expiry: `${mm}/${yy}` }, clock);
        expect(!result.ok && result.errors[0]?.reason === 'expiry.past').toBe(past);
      }),
    );
  });
});

describe('the CVC', () => {
  it('is exactly three digits', () => {
    expect(reasonFor({ cvc: '123' }, 'cvc')).toBeUndefined();
    for (const cvc of ['12', '1234', '12a', '1 3']) expect(reasonFor({ cvc }, 'cvc'), cvc).toBe('cvc.format');
    expect(reasonFor({ cvc: '' }, 'cvc')).toBe('cvc.required');
  });
});

describe('the name on the card', () => {
  it('is 1 to 64 characters', () => {
    expect(reasonFor({ holder: '  ' }, 'holder')).toBe('holder.required');
    expect(reasonFor({ holder: 'A' }, 'holder')).toBeUndefined();
    expect(reasonFor({ holder: 'é'.repeat(64) }, 'holder')).toBeUndefined();
    expect(reasonFor({ holder: 'a'.repeat(65) }, 'holder')).toBe('holder.length');
  });

  it('keeps names with dots, apostrophes and accents', () => {
    expect(checkHolder(" J. O'Brien-Núñez ")).toEqual({ ok: true, value: "J. O'Brien-Núñez" });
  });

  it('refuses any control character inside the name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f), (name, code) => {
        expect(checkHolder(`A${name.slice(0, 10)}${String.fromCharCode(code)}${name.slice(10)}Z`)).toMatchObject({ ok: false, reason: 'holder.control' });
      }),
    );
  });
});

describe('validating the whole form', () => {
  it('answers a typed card with masked secrets', () => {
    const result = validateCard({ number: '5555 5555 5555 4444', expiry: '0130', cvc: '737', holder: 'Grace Hopper' }, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.card).toMatchObject({ brand: 'mastercard', bin: '555555', last4: '4444', expiry: { month: 1, year: 2030 }, holder: 'Grace Hopper' });
    expect(result.card.number.reveal()).toBe('5555555555554444');
    expect(result.card.cvc.reveal()).toBe('737');
    expect(JSON.stringify(result.card)).not.toMatch(/5555555555554444|737/);
  });

  it('answers one error per failing field, in form order', () => {
    const result = validateCard({ number: '3782 822463 10005', expiry: '01/20', cvc: '12', holder: '' }, now);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'number', reason: 'card.brand' },
        { field: 'expiry', reason: 'expiry.past' },
        { field: 'cvc', reason: 'cvc.format' },
        { field: 'holder', reason: 'holder.required' },
      ],
    });
  });
});

describe('a stored card as people see it', () => {
  it('names the brand and shows only the last four', () => {
    expect(maskedCard('visa', '4242')).toBe('Visa •••• 4242');
    expect(maskedCard('mastercard', '4444')).toBe('Mastercard •••• 4444');
    expect(maskedCard(null, null)).toBe('');
  });
});
