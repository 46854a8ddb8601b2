import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { checkoutFields, describeEachDatabase, signedBody, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * A body object shaped like lossless-json's number, `{"isLosslessNumber":true,"value":X}`,
 * signed as if it were the number X: only the parser's own numbers count, so it is an object.
 */
const lookAlikes: unknown[] = [5, {}, [], null, true, 'line\r\nbreak', 'nul\u0000', 'https://merchant.example/notify', '300'];
const sendLookAlike = (t: TestGateway, url: string, fields: Record<string, unknown>, field: string, inner: unknown) => {
  // (the sign cannot hold control characters; the refusal comes before the sign is compared)
  const asText = typeof inner === 'string' && !/[\u0000-\u001f]/.test(inner) && inner !== '' ? inner : 'x';
  const signed = signedBody({ ...fields, [field]: asText } as never, t.merchant.appSecret);
  const payload = JSON.stringify({ ...signed, [field]: { isLosslessNumber: true, value: inner } });
  return t.gateway.app.inject({ method: 'POST', url, headers: { merchantNo: t.merchant.merchantNo, 'content-type': 'application/json' }, payload });
};

describeEachDatabase('business codes', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  /** A create request with some fields overridden; undefined removes a field; objects are added after signing. */
  const create = (overrides: Record<string, unknown>) => {
    const fields: Record<string, unknown> = checkoutFields();
    const unsignable: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete fields[key];
      else if (typeof value === 'object' && value !== null && !(value instanceof LosslessNumber)) {
        delete fields[key];
        unsignable[key] = value;
      } else fields[key] = value;
    }
    return t.post('/v1/checkout', { ...signedBody(fields as never, t.merchant.appSecret), ...unsignable } as never, { raw: true });
  };
  const expectRefused = (body: any, code: string, field?: RegExp) => {
    expect(body).toMatchObject({ code, success: false, data: null });
    if (field) expect(body.msg).toMatch(field);
  };

  it('8001 when the sign does not match', async () => {
    expectRefused((await t.post('/v1/checkout', checkoutFields(), { secret: 'not-the-secret' })).body, '8001', /sign/);
  });

  it('8001 says which sign type and salt placement the merchant is set to', async () => {
    const answer = (await t.post('/v1/checkout', checkoutFields(), { secret: 'not-the-secret' })).body;
    expectRefused(answer, '8001', /set to MD5 \(secret as suffix.*\) or HMAC-SHA256/);
    const strict = await t.addMerchant({ requireHmac: true, saltPlacement: 'prefix' });
    expectRefused((await t.post('/v1/checkout', checkoutFields(), { merchant: strict, signType: 'HMAC-SHA256', secret: 'nope' })).body, '8001', /HMAC-SHA256 only/);
  });

  it('8008 hints at milliseconds when the timestamp looks like seconds', async () => {
    expectRefused((await create({ timestamp: String(Math.floor(Date.now() / 1000)) })).body, '8008', /looks like seconds.*milliseconds/);
  });

  it('8001 when a signed field was changed after signing', async () => {
    const body = signedBody(checkoutFields(), t.merchant.appSecret);
    expectRefused((await t.post('/v1/checkout', { ...body, amount: '1.00' }, { raw: true })).body, '8001');
  });

  it('8001 when the merchant requires HMAC-SHA256 and gets MD5', async () => {
    const strict = await t.addMerchant({ requireHmac: true });
    expectRefused((await t.post('/v1/checkout', checkoutFields(), { merchant: strict })).body, '8001', /HMAC/);
    expect((await t.post('/v1/checkout', checkoutFields(), { merchant: strict, signType: 'HMAC-SHA256' })).body.code).toBe('0000');
  });

  it.each([
    ['tradeNo', undefined, /tradeNo is required/],
    ['tradeNo', 'has space', /tradeNo/],
    ['tradeNo', 'x'.repeat(65), /tradeNo/],
    ['mobile', '12345', /mobile/],
    ['mobile', '+91 82345', /mobile/],
    ['email', 'not-an-email', /email/],
    ['email', `${'a'.repeat(60)}@${'b'.repeat(190)}.com`, /email/],
    ['userId', undefined, /userId/],
    ['userId', 'u'.repeat(65), /userId/],
    ['remark', 'r'.repeat(257), /remark/],
    ['currency', undefined, /currency/],
    ['amount', undefined, /amount/],
    ['amount', '', /amount/],
  ])('8002 names the field when %s is %s', async (field, value, message) => {
    expectRefused((await create({ [field]: value })).body, '8002', message);
  });

  it('8002 for objects, arrays and control characters in signed fields', async () => {
    expectRefused((await create({ remark: { nested: '1' } })).body, '8002', /remark/);
    expectRefused((await create({ userId: ['a'] })).body, '8002', /userId/);
    const withoutRemark = signedBody(checkoutFields({ remark: null }), t.merchant.appSecret);
    const withControl = await t.post('/v1/checkout', { ...withoutRemark, remark: 'line\nbreak' }, { raw: true });
    expectRefused(withControl.body, '8002', /remark.*control/);
  });

  it.each([
    ['/v1/checkout', 'remark'],
    ['/v1/checkout', 'amount'],
    ['/v1/checkout', 'notifyUrl'],
    ['/v1/checkout', 'returnUrl'],
    ['/v1/checkout', 'tradeNo'],
    ['/v1/refund', 'refundNo'],
    ['/v1/refund', 'amount'],
    ['/v1/refund/query', 'refundNo'],
    ['/v1/notify/resend', 'tradeNo'],
    ['/v1/checkout/query', 'tradeNo'],
  ])('8002 naming the field for a lossless-number look-alike in %s %s', async (url, field) => {
    const fields: Record<string, Record<string, unknown>> = {
      '/v1/checkout': checkoutFields(),
      '/v1/refund': { tradeNo: 'T1', refundNo: 'R1', amount: '1.00' },
      '/v1/refund/query': { refundNo: 'R1' },
      '/v1/notify/resend': { tradeNo: 'T1' },
      '/v1/checkout/query': { tradeNo: 'T1' },
    };
    for (const inner of lookAlikes) {
      const response = await sendLookAlike(t, url, fields[url]!, field, inner);
      expect(response.statusCode, JSON.stringify(inner)).toBeLessThan(500);
      expectRefused(response.json(), '8002', new RegExp(field));
    }
  });

  it('8002 when the merchantNo header is missing or malformed, or the body disagrees with it', async () => {
    const body = signedBody(checkoutFields(), t.merchant.appSecret);
    const send = (headers: Record<string, string>, payload = body) =>
      t.gateway.app.inject({ method: 'POST', url: '/v1/checkout', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
    expectRefused((await send({})).json(), '8002', /merchantNo/);
    expectRefused((await send({ merchantNo: '12' })).json(), '8002', /merchantNo/);
    const mismatched = signedBody(checkoutFields({ merchantNo: '1000000000' }), t.merchant.appSecret);
    expectRefused((await send({ merchantNo: t.merchant.merchantNo }, mismatched)).json(), '8002', /merchantNo/);
    const matching = signedBody(checkoutFields({ merchantNo: t.merchant.merchantNo }), t.merchant.appSecret);
    expect((await send({ merchantNo: t.merchant.merchantNo }, matching)).json().code).toBe('0000');
  });

  it('8003 for a merchant that does not exist', async () => {
    const unknown = { merchantNo: '1000000001', appSecret: 'x' };
    expectRefused((await t.post('/v1/checkout', checkoutFields(), { merchant: unknown })).body, '8003', /1000000001/);
  });

  it('8004 for a disabled merchant', async () => {
    const merchant = await t.addMerchant();
    await t.gateway.context.db.updateTable('merchants').set({ status: 'disabled' }).where('merchant_no', '=', merchant.merchantNo).execute();
    expectRefused((await t.post('/v1/checkout', checkoutFields(), { merchant })).body, '8004');
  });

  it('8006 for any currency but USD', async () => {
    expectRefused((await create({ currency: 'EUR' })).body, '8006', /currency/);
  });

  it.each([['0'], ['0.00'], ['-1.00'], ['1.234'], ['1e5'], ['1234567890.00'], [' 1.00'], ['1,00']])(
    '8007 for the amount %s',
    async (amount) => {
      expectRefused((await create({ amount })).body, '8007', /amount/);
    },
  );

  it('8007 for an amount given as a JSON number that breaks the rule of the string', async () => {
    expectRefused((await create({ amount: new LosslessNumber('1e3') })).body, '8007', /amount/);
  });

  it("8007 outside the merchant's limits", async () => {
    const merchant = await t.addMerchant({ minAmountCents: 100, maxAmountCents: 10_000 });
    expectRefused((await t.post('/v1/checkout', checkoutFields({ amount: '0.99' }), { merchant })).body, '8007', /1\.00 and 100\.00/);
    expectRefused((await t.post('/v1/checkout', checkoutFields({ amount: '100.01' }), { merchant })).body, '8007');
    expect((await t.post('/v1/checkout', checkoutFields({ amount: '100.00' }), { merchant })).body.code).toBe('0000');
  });

  it('8008 for a timestamp outside the window', async () => {
    expectRefused((await create({ timestamp: String(Date.now() - 11 * 60_000) })).body, '8008', /timestamp/);
    expectRefused((await create({ timestamp: String(Date.now() + 11 * 60_000) })).body, '8008');
  });

  it('8012 past the merchant rate limit, with HTTP 429', async () => {
    const merchant = await t.addMerchant({ rateLimitPerSecond: 1 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await t.post('/v1/checkout/query', { tradeNo: 'none' }, { merchant }));
    const limited = answers.filter((answer) => answer.body.code === '8012');
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.status).toBe(429);
  });

  it('8012 is not spent by requests that fail their sign', async () => {
    const merchant = await t.addMerchant({ rateLimitPerSecond: 2 });
    for (let i = 0; i < 5; i++) {
      expect((await t.post('/v1/checkout/query', { tradeNo: 'none' }, { merchant, secret: 'forged' })).body.code).toBe('8001');
    }
    expect((await t.post('/v1/checkout/query', { tradeNo: 'none' }, { merchant })).body.code).toBe('8009');
  });

  it.each([['not a url'], ['/relative/path'], ['ftp://merchant.example/notify'], [`https://merchant.example/${'p'.repeat(500)}`], ['https://user:pw@merchant.example/']])(
    '8013 for the notifyUrl %s',
    async (notifyUrl) => {
      expectRefused((await create({ notifyUrl })).body, '8013', /notifyUrl/);
    },
  );

  it('5000 with HTTP 500 and no internals when the database is gone', async () => {
    const broken = await startTestGateway(kind);
    await broken.gateway.context.db.destroy();
    const { status, body } = await broken.post('/v1/checkout', checkoutFields());
    expect(status).toBe(500);
    expectRefused(body, '5000', /query/);
    expect(JSON.stringify(body)).not.toMatch(/at |Error|\.ts/);
    await broken.close().catch(() => {});
  });
});

describeEachDatabase('malformed requests', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const send = (payload: string, contentType = 'application/json', url = '/v1/checkout') =>
    t.gateway.app.inject({ method: 'POST', url, headers: { merchantNo: t.merchant.merchantNo, 'content-type': contentType }, payload });

  it.each([
    ['truncated JSON', '{"tradeNo":"1","amount":"3'],
    ['a JSON array', '[{"tradeNo":"1"}]'],
    ['a JSON string', '"hello"'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an empty body', ''],
    ['a prototype key', '{"__proto__":{"admin":true}}'],
  ])('answers 8014 for %s', async (_name, payload) => {
    const response = await send(payload);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json()).toMatchObject({ code: '8014', success: false, data: null });
  });

  it('answers 8014 for a wrong content type', async () => {
    const response = await send('tradeNo=1', 'application/x-www-form-urlencoded');
    expect(response.json()).toMatchObject({ code: '8014' });
    expect(response.json().msg).toMatch(/Content-Type/);
    expect((await send('{}', 'text/plain')).json().code).toBe('8014');
  });

  it('answers 8014 with HTTP 413 for a 40 KB remark', async () => {
    const body = signedBody(checkoutFields({ remark: 'r'.repeat(40_000) }), t.merchant.appSecret);
    const response = await send(JSON.stringify(body));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: '8014', success: false });
  });

  it('answers 8002 for a nested object in a signed field', async () => {
    const response = await send(JSON.stringify({ ...signedBody(checkoutFields(), t.merchant.appSecret), remark: { a: 1 } }));
    expect(response.json()).toMatchObject({ code: '8002' });
  });

  it('answers 404 for an unknown path and 405 for a wrong method, as envelopes', async () => {
    const unknown = await send('{}', 'application/json', '/v1/nothing/here/at/all');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().success).toBe(false);
    const wrongMethod = await t.gateway.app.inject({ method: 'GET', url: '/v1/checkout' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('never answers 5xx to random bodies, headers and paths', async () => {
    const lookAlike = fc.record({ isLosslessNumber: fc.oneof(fc.constant(true), fc.jsonValue({ maxDepth: 1 })), value: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })) });
    const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), lookAlike);
    const fieldName = fc.oneof(
      fc.constantFrom('tradeNo', 'amount', 'mobile', 'email', 'userId', 'currency', 'notifyUrl', 'returnUrl', 'remark', 'sign', 'timestamp', 'signType', 'merchantNo', 'platFormTradeNo'),
      fc.string({ maxLength: 8 }),
    );
    const body = fc.dictionary(fieldName, fc.oneof(jsonValue, fc.string(), fc.constant(String(Date.now()))), { maxKeys: 12 });
    const payload = fc.oneof(body.map((value) => JSON.stringify(value)), fc.string({ maxLength: 200 }));
    const header = fc.oneof(fc.constant(t.merchant.merchantNo), fc.string({ maxLength: 12 }), fc.constant(undefined));
    const path = fc.constantFrom('/v1/checkout', '/v1/checkout/query', '/v1/checkout/close', '/v1/p/queryPayInResult', '/v1/x/checkout');
    await fc.assert(
      fc.asyncProperty(payload, header, path, async (text, merchantNo, url) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (merchantNo !== undefined && /^[\x20-\x7e]*$/.test(merchantNo)) headers.merchantNo = merchantNo;
        const response = await t.gateway.app.inject({ method: 'POST', url, headers, payload: text });
        expect(response.statusCode).toBeLessThan(500);
        const answer = response.json();
        expect(answer.success).toBe(answer.code === '0000');
        expect(answer.code).toMatch(/^(0000|80(0[0-9]|1[0-4]))$/);
      }),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to signed bodies with random field values', async () => {
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.integer().map(String), fc.constant(''), fc.constant(null), fc.boolean());
    const fields = fc.record({
      tradeNo: value, amount: value, mobile: value, email: value, userId: value,
      currency: fc.oneof(value, fc.constant('USD')), notifyUrl: fc.oneof(value, fc.webUrl()), returnUrl: fc.oneof(value, fc.webUrl()), remark: value,
    }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fields, async (random) => {
        const response = await t.post('/v1/checkout', random as never);
        expect(response.status).toBeLessThan(500);
        expect(['0000', '8002', '8005', '8006', '8007', '8013']).toContain(response.body.code);
      }),
      { numRuns: 100 },
    );
  });

  it('answers 8002 naming the field to lossless-number look-alikes signed as the text they wrap', async () => {
    const field = fc.constantFrom('tradeNo', 'amount', 'mobile', 'email', 'userId', 'currency', 'notifyUrl', 'returnUrl', 'remark', 'timestamp');
    const inner = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.constant({}), fc.webUrl(), fc.boolean());
    const path = fc.constantFrom('/v1/checkout', '/v1/refund', '/v1/refund/query', '/v1/notify/resend');
    await fc.assert(
      fc.asyncProperty(path, field, inner, async (url, name, wrapped) => {
        const response = await sendLookAlike(t, url, checkoutFields(), name, wrapped);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.json()).toMatchObject({ code: '8002', success: false, data: null });
        expect(response.json().msg).toMatch(new RegExp(name));
      }),
      { numRuns: 60 },
    );
  });
});
