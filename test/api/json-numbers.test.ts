import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { formatAmount, cents } from '../../src/domain/money.ts';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';

/**
 * Family merchants send `amount` (and `timestamp`) as a JSON number at times, and sign
 * `String(value)`: accepted under the rules of the string. Every other field the contract calls
 * a string is refused as a number, with 8002 naming it.
 */
const number = (text: string) => new LosslessNumber(text);

/** What a JavaScript merchant does: sign `String(value)` of every field, send `JSON.stringify(body)`. */
function merchantSigned(fields: Record<string, string | number>, secret: string, placement: 'suffix' | 'prefix'): string {
  const signString = Object.keys(fields)
    .sort()
    .filter((key) => fields[key] !== '')
    .map((key) => `${key}=${String(fields[key])}`)
    .join('');
  const sign = createHash('md5').update(placement === 'suffix' ? signString + secret : secret + signString, 'utf8').digest('hex');
  return JSON.stringify({ ...fields, sign });
}

describeEachDatabase('amount and timestamp as JSON numbers', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const sendRaw = (url: string, payload: string) =>
    t.gateway.app.inject({ method: 'POST', url, headers: { merchantNo: t.merchant.merchantNo, 'content-type': 'application/json' }, payload }).then((response) => response.json());

  it.each([
    ['300', '300.00'],
    ['12.5', '12.50'],
    ['300.00', '300.00'],
    ['0.01', '0.01'],
  ])('accepts the amount %s as a JSON number, signed as written, and keeps it as %s', async (written, kept) => {
    const fields = checkoutFields({ amount: number(written) });
    const created = await t.post('/v1/checkout', fields);
    expect(created.body).toMatchObject({ code: '0000', success: true });
    const query = await t.post('/v1/checkout/query', { tradeNo: fields.tradeNo as string });
    expect(query.body.data.amount).toBe(kept);
  });

  it.each([['1e3'], ['1E3'], ['-0'], ['0'], ['-1'], ['0.001'], ['12.345'], ['1.0e2'], ['12345678901234567890'], ['1234567890']])(
    '8007 naming amount for the JSON number %s on checkout, refund and payout',
    async (written) => {
      const checkout = await t.post('/v1/checkout', checkoutFields({ amount: number(written) }));
      expect(checkout.body).toMatchObject({ code: '8007', success: false, data: null });
      expect(checkout.body.msg).toMatch(/\bamount\b/);
      const refund = await t.post('/v1/refund', { tradeNo: 'T1', refundNo: 'R1', amount: number(written) });
      expect(refund.body).toMatchObject({ code: '8007' });
      expect(refund.body.msg).toMatch(/\bamount\b/);
      const payout = await t.post('/v1/payout', { ...payoutFields(), amount: number(written) });
      expect(payout.body).toMatchObject({ code: '8007' });
      expect(payout.body.msg).toMatch(/\bamount\b/);
    },
  );

  it("holds a numeric amount to the merchant's limits", async () => {
    const merchant = await t.addMerchant({ minAmountCents: 100, maxAmountCents: 10_000 });
    expect((await t.post('/v1/checkout', checkoutFields({ amount: number('100.01') }), { merchant })).body.code).toBe('8007');
    expect((await t.post('/v1/checkout', checkoutFields({ amount: number('0.99') }), { merchant })).body.code).toBe('8007');
    expect((await t.post('/v1/checkout', checkoutFields({ amount: number('100') }), { merchant })).body.code).toBe('0000');
  });

  it('accepts a numeric amount on a refund and on a payout', async () => {
    const customer = await CashierClient.forNewOrder(t, { amount: '50.00' });
    await customer.open();
    await customer.pay('4242424242424242');
    const refund = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${Date.now()}`, amount: number('12.5') });
    expect(refund.body).toMatchObject({ code: '0000', data: { amount: '12.50' } });

    const merchant = await t.addMerchant();
    await fundMerchant(t, merchant, '100.00');
    const payout = await t.post('/v1/payout', { ...payoutFields(), amount: number('25') }, { merchant });
    expect(payout.body).toMatchObject({ code: '0000' });
    const state = await t.post('/v1/payout/query', { tradeNo: payout.body.data.tradeNo }, { merchant });
    expect(state.body.data.orderAmount).toBe('25.00');
  });

  it('accepts a timestamp as a JSON number, signed as written', async () => {
    const created = await t.post('/v1/checkout', checkoutFields({ timestamp: number(String(Date.now())) }));
    expect(created.body.code).toBe('0000');
  });

  it.each([
    ['/v1/payout', 'customerAccount', () => ({ ...payoutFields(), customerAccount: number('4242424242424242') })],
    ['/v1/payout', 'customerMobile', () => ({ ...payoutFields(), customerMobile: number('918234567890') })],
    ['/v1/checkout', 'tradeNo', () => checkoutFields({ tradeNo: number('1001') })],
    ['/v1/checkout', 'mobile', () => checkoutFields({ mobile: number('918234567890') })],
    ['/v1/checkout', 'userId', () => checkoutFields({ userId: number('42') })],
    ['/v1/checkout', 'remark', () => checkoutFields({ remark: number('7') })],
    ['/v1/checkout', 'merchantNo', () => checkoutFields({ merchantNo: number(t.merchant.merchantNo) })],
    ['/v1/checkout/query', 'tradeNo', () => ({ tradeNo: number('1001') })],
    ['/v1/refund', 'refundNo', () => ({ tradeNo: 'T1', refundNo: number('1'), amount: '1.00' })],
    ['/v1/notify/listen', 'waitSeconds', () => ({ waitSeconds: number('0') })],
  ])('%s: 8002 naming %s when a string field comes as a JSON number', async (url, field, body) => {
    const answer = (await t.post(url, body())).body;
    expect(answer).toMatchObject({ code: '8002', success: false, data: null });
    expect(answer.msg).toMatch(new RegExp(`^${field}\\b.*string`));
  });

  it('accepts any valid body whose amount and timestamp are numbers or strings, signed String(value), either placement', async () => {
    const amountCents = fc.oneof(fc.integer({ min: 1, max: 99_999_999_999 }), fc.integer({ min: 1, max: 10_000 }));
    await fc.assert(
      fc.asyncProperty(amountCents, fc.boolean(), fc.boolean(), fc.constantFrom('suffix' as const, 'prefix' as const), async (amount, amountAsNumber, timestampAsNumber, placement) => {
        const now = Date.now();
        const fields: Record<string, string | number> = {
          ...(checkoutFields() as Record<string, string>),
          amount: amountAsNumber ? amount / 100 : formatAmount(cents(amount)),
          timestamp: timestampAsNumber ? now : String(now),
        };
        const answer = await sendRaw('/v1/checkout', merchantSigned(fields, t.merchant.appSecret, placement));
        expect(answer, JSON.stringify(fields)).toMatchObject({ code: '0000', success: true, data: { tradeNo: fields.tradeNo } });
        const query = await t.post('/v1/checkout/query', { tradeNo: fields.tradeNo as string });
        expect(query.body.data.amount).toBe(formatAmount(cents(amount)));
      }),
      { numRuns: 40 },
    );
  });
});
