import { afterAll, beforeAll, expect, it } from 'vitest';
import { LosslessNumber } from 'lossless-json';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * What public family merchant code reads from Payrail's answers, replayed: a PHP CRM needs
 * `data.platFormTradeNo` and one of `paymentLink`, `payInfo` or `payInfoVA`; a TypeScript
 * merchant reads `data.tradeNo`; both want `success: true` with `0000`.
 */
describeEachDatabase('a family merchant finds every field it reads', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { PUBLIC_URL: 'https://pay.example' });
  });
  afterAll(() => t.close());

  /** The PHP CRM's deposit check: a gateway order number and a link to pay, or the deposit fails. */
  const crmAcceptsDeposit = (answer: any) =>
    answer.success === true && answer.code === '0000' && typeof answer.data?.platFormTradeNo === 'string' && Boolean(answer.data.paymentLink || answer.data.payInfo || answer.data.payInfoVA);

  it.each([['/v1/checkout'], ['/v1/acme/checkout']])('%s answers tradeNo and paymentLink beside paymentUrl, on a new and on a repeated create', async (url) => {
    const fields = checkoutFields({ amount: new LosslessNumber('12.5') });
    const first = (await t.post(url, fields)).body;
    expect(crmAcceptsDeposit(first)).toBe(true);
    expect(first.data.tradeNo).toBe(fields.tradeNo);
    expect(first.data.paymentLink).toBe(first.data.paymentUrl);
    expect(first.data.paymentUrl).toMatch(/^https:\/\/pay\.example\/checkout\?data=[0-9a-f]{64}$/);
    const again = (await t.post(url, fields)).body;
    expect(again.data).toEqual(first.data);
  });

  it.each([['/v1/acme/payinSubmit'], ['/v1/acme/walletPay'], ['/v1/acme/queryPayInVA']])(
    '%s, a family step this gateway does not serve, answers the envelope: 8000, cards only, never a bare 404 page',
    async (url) => {
      const response = await t.gateway.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', merchantNo: t.merchant.merchantNo }, payload: '{}' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const answer = response.json();
      expect(answer).toMatchObject({ code: '8000', success: false, data: null });
      expect(answer.msg).toMatch(/cards only/);
      expect(answer.msg).toContain('/v1/<provider>/checkout');
      expect(crmAcceptsDeposit(answer)).toBe(false);
    },
  );

  it('answers another unknown path with 8002, and a served family path with another method with 405', async () => {
    const unknown = await t.gateway.app.inject({ method: 'POST', url: '/v1/a/b/c', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: '8002', success: false });
    const wrongMethod = await t.gateway.app.inject({ method: 'GET', url: '/v1/acme/checkout' });
    expect(wrongMethod.statusCode).toBe(405);
  });
});
