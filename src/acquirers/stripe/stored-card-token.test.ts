import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readStoredCardToken, storedCardToken } from './stored-card-token.ts';

const idPart = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);

describe('the token of a card saved at Stripe', () => {
  it('reads back the Customer and PaymentMethod it was made of', () => {
    fc.assert(
      fc.property(idPart, idPart, (customer, paymentMethod) => {
        const card = { customer: `cus_${customer}`, paymentMethod: `pm_${paymentMethod}` };
        expect(readStoredCardToken(storedCardToken(card))).toEqual(card);
      }),
    );
  });

  it('reads nothing from any other text, and is never made of ids of another kind', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const read = readStoredCardToken(text);
        if (read) expect(`${read.customer}/${read.paymentMethod}`).toBe(text);
      }),
    );
    for (const text of ['', 'pm_1', 'cus_1', 'cus_1/pm_1/x', 'pm_1/cus_1', 'cus_1/pm_', 'cus_/pm_1', 'cus_1 /pm_1', 'cus_1/pm_1\n']) {
      expect(readStoredCardToken(text)).toBeUndefined();
    }
    expect(() => storedCardToken({ customer: 'pm_1', paymentMethod: 'cus_1' })).toThrow(TypeError);
  });
});
