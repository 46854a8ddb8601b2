import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cents, formatAmount, parseAmount, signedCents } from './money.ts';
import { BusinessCode, PayrailError } from './errors.ts';

describe('money', () => {
  it('parses wire amounts into cents', () => {
    expect(parseAmount('300.00')).toBe(30000);
    expect(parseAmount('300.5')).toBe(30050);
    expect(parseAmount('300')).toBe(30000);
    expect(parseAmount('0.01')).toBe(1);
    expect(parseAmount('999999999.99')).toBe(99999999999);
  });

  it.each(['0', '0.00', '-1', '1.234', '1e3', ' 1', '1,00', '', '.5', '1.', '0x10', '1234567890'])('refuses %j with 8007', (text) => {
    expect(() => parseAmount(text)).toThrow(PayrailError);
    try {
      parseAmount(text);
    } catch (error) {
      expect((error as PayrailError).code).toBe(BusinessCode.AmountInvalid);
    }
  });

  it('formats any number of cents back to two decimals, negative balances included', () => {
    expect(formatAmount(signedCents(0))).toBe('0.00');
    expect(formatAmount(signedCents(5))).toBe('0.05');
    expect(formatAmount(signedCents(30050))).toBe('300.50');
    expect(formatAmount(signedCents(-390))).toBe('-3.90');
    expect(formatAmount(signedCents(-5))).toBe('-0.05');
  });

  it('round-trips every amount the wire can carry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_999 }), (amount) => {
        expect(parseAmount(formatAmount(cents(amount)))).toBe(amount);
      }),
    );
  });

  it('formats every integer, positive or negative, as a number with exactly two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), (amount) => {
        const text = formatAmount(signedCents(amount));
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(Math.round(Number(text) * 100)).toBe(amount);
      }),
    );
  });
});
