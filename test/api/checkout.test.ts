import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, signedBody, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

describeEachDatabase('create checkout', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { PUBLIC_URL: 'https://pay.example' });
  });
  afterAll(() => t.close());

  it('creates an order and answers the envelope of the seed', async () => {
    const { status, body } = await t.post('/v1/checkout', checkoutFields({ remark: 'test' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ msg: 'success', code: '0000', success: true });
    expect(typeof body.timestamp).toBe('number');
    expect(body.data).toMatchObject({ status: '0015', desc: 'CREATED', remark: 'test' });
    expect(body.data.platFormTradeNo).toMatch(/^[0-9a-z]{16}$/);
    expect(body.data.paymentUrl).toMatch(/^https:\/\/pay\.example\/checkout\?data=[0-9a-f]{64}$/);
  });

  it('accepts the seed request example as sent, timestamp as a string', async () => {
    const { body } = await t.post('/v1/checkout', {
      tradeNo: '00000007',
      amount: '300.00',
      mobile: '918234567890',
      email: '123@qq.com',
      userId: 'Test',
      currency: 'USD',
      notifyUrl: 'https://google.com',
      returnUrl: 'http://abc.com/callback_page',
      remark: '000000',
    });
    expect(body.code).toBe('0000');
  });

  it('answers the drop-in alias of the family exactly like /v1/checkout', async () => {
    const { body } = await t.post('/v1/anyprovider/checkout', checkoutFields());
    expect(body).toMatchObject({ code: '0000', data: { status: '0015', desc: 'CREATED' } });
  });

  it('accepts a sign with the secret as prefix, and HMAC-SHA256', async () => {
    expect((await t.post('/v1/checkout', checkoutFields(), { placement: 'prefix' })).body.code).toBe('0000');
    expect((await t.post('/v1/checkout', checkoutFields(), { signType: 'HMAC-SHA256' })).body.code).toBe('0000');
  });

  it('accepts a timestamp written as a JSON number, signed as written', async () => {
    const fields = checkoutFields();
    const body = signedBody(fields, t.merchant.appSecret);
    const payload = JSON.stringify({ ...body, timestamp: '__TS__' }).replace('"__TS__"', String(body.timestamp));
    const response = await t.gateway.app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { merchantNo: t.merchant.merchantNo, 'content-type': 'application/json' },
      payload,
    });
    expect(response.json().code).toBe('0000');
  });

  it('keeps unknown extra fields in the sign', async () => {
    const body = signedBody(checkoutFields({ extra: 'kept' }), t.merchant.appSecret);
    expect((await t.post('/v1/checkout', body, { raw: true })).body.code).toBe('0000');
    expect((await t.post('/v1/checkout', { ...body, extra: 'changed' }, { raw: true })).body.code).toBe('8001');
  });

  describe('idempotency by tradeNo', () => {
    it('returns the same order for the same request sent again with a new timestamp and sign', async () => {
      const fields = checkoutFields();
      const first = await t.post('/v1/checkout', fields);
      const again = await t.post('/v1/checkout', { ...fields, timestamp: String(Date.now() + 5) });
      expect(again.body.code).toBe('0000');
      expect(again.body.data.platFormTradeNo).toBe(first.body.data.platFormTradeNo);
      expect(again.body.data.paymentUrl).toBe(first.body.data.paymentUrl);
    });

    it('also when only the sign type changes', async () => {
      const fields = checkoutFields();
      const first = await t.post('/v1/checkout', fields);
      const again = await t.post('/v1/checkout', fields, { signType: 'HMAC-SHA256' });
      expect(again.body.data.platFormTradeNo).toBe(first.body.data.platFormTradeNo);
    });

    it('refuses the same tradeNo with another amount with 8005', async () => {
      const fields = checkoutFields();
      await t.post('/v1/checkout', fields);
      const changed = await t.post('/v1/checkout', { ...fields, amount: '300.01' });
      expect(changed.body).toMatchObject({ code: '8005', success: false, data: null });
      expect(changed.body.msg).toMatch(/tradeNo/);
    });

    it('refuses the same tradeNo with a field added with 8005', async () => {
      const fields = checkoutFields({ remark: null });
      await t.post('/v1/checkout', fields);
      expect((await t.post('/v1/checkout', { ...fields, remark: 'now set' })).body.code).toBe('8005');
    });

    it('makes exactly one order of 16 racing identical requests', async () => {
      const body = signedBody(checkoutFields(), t.merchant.appSecret);
      const answers = await Promise.all(Array.from({ length: 16 }, () => t.post('/v1/checkout', body, { raw: true })));
      expect(answers.map((answer) => answer.body.code)).toEqual(Array(16).fill('0000'));
      expect(new Set(answers.map((answer) => answer.body.data.platFormTradeNo)).size).toBe(1);
      const rows = await t.gateway.context.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('trade_no', '=', body.tradeNo as string)
        .executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(1);
    });

    it('lets two merchants use the same tradeNo', async () => {
      const other = await t.addMerchant({ name: 'Other' });
      const fields = checkoutFields();
      const mine = await t.post('/v1/checkout', fields);
      const theirs = await t.post('/v1/checkout', fields, { merchant: other });
      expect(theirs.body.code).toBe('0000');
      expect(theirs.body.data.platFormTradeNo).not.toBe(mine.body.data.platFormTradeNo);
    });
  });
});
