import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mismatchesOf } from './event-match.ts';

const sent = { payment: 'pi_ours', amountCents: 30000, currency: 'USD' };

describe('mismatchesOf', () => {
  it('matches the payment we made, whatever the case of the currency code', () => {
    expect(mismatchesOf(sent, { payment: 'pi_ours', amount: 30000, currency: 'usd' })).toEqual([]);
  });

  it('names everything that differs in the forged event of the review: another payment, 0.01 EUR', () => {
    expect(mismatchesOf(sent, { payment: 'pi_other', amount: 1, currency: 'eur' })).toEqual([
      { field: 'payment', expected: 'pi_ours', received: 'pi_other' },
      { field: 'amount', expected: '30000', received: '1' },
      { field: 'currency', expected: 'USD', received: 'EUR' },
    ]);
  });

  it('an event that does not say its amount or currency does not match', () => {
    expect(mismatchesOf(sent, { payment: 'pi_ours' }).map((m) => m.field)).toEqual(['amount', 'currency']);
  });

  it('a processor id we do not know yet is not checked; amount and currency still are', () => {
    expect(mismatchesOf({ ...sent, payment: null }, { payment: 'psp1', amount: 30000, currency: 'USD' })).toEqual([]);
    expect(mismatchesOf({ ...sent, payment: null }, { payment: 'psp1', amount: 29999, currency: 'USD' })).toHaveLength(1);
  });

  it('a refund checks its own id too, once known', () => {
    const refund = { payment: 'pi_ours', refund: 're_1', amountCents: 1000, currency: 'USD' };
    expect(mismatchesOf(refund, { payment: 'pi_ours', refund: 're_1', amount: 1000, currency: 'usd' })).toEqual([]);
    expect(mismatchesOf(refund, { payment: 'pi_ours', refund: 're_2', amount: 1000, currency: 'usd' })).toEqual([{ field: 'refund', expected: 're_1', received: 're_2' }]);
    expect(mismatchesOf({ ...refund, refund: null }, { payment: 'pi_ours', refund: 're_2', amount: 1000, currency: 'usd' })).toEqual([]);
  });

  it('matches only when every field is ours (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.integer(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (payment, amount, currency) => {
        const same = payment === sent.payment && amount === sent.amountCents && currency?.toUpperCase() === sent.currency;
        expect(mismatchesOf(sent, { payment, amount, currency }).length === 0).toBe(same);
      }),
    );
  });
});
