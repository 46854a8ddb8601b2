import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { PayrailApiError, PayrailClient, PayrailNetworkError, verifyNotification } from '../../src/sdk/index.ts';

describe('PayrailClient against a running gateway', () => {
  let t: TestGateway;
  let baseUrl = '';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: PayrailClient;
  let n = 0;
  const tradeNo = () => `sdk-${Date.now()}-${++n}`;
  const checkout = (overrides = {}) => ({
    tradeNo: tradeNo(), amount: '25.00', mobile: '15550100', email: 'buyer@example.com', userId: 'u-1',
    notifyUrl: `${receiver.url}/notify`, returnUrl: 'https://shop.example/back', ...overrides,
  });

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    client = new PayrailClient({ baseUrl, merchantNo: t.merchant.merchantNo, appSecret: t.merchant.appSecret });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('creates a checkout, answers the same order for the same request, queries and closes it', async () => {
    const request = checkout({ remark: 'cart 1' });
    const created = await client.createCheckout(request);
    expect(created).toMatchObject({ status: '0015', desc: 'CREATED', remark: 'cart 1' });
    expect(created.paymentUrl).toMatch(/\/checkout\?data=[0-9a-f]+$/);
    expect((await client.createCheckout(request)).platFormTradeNo).toBe(created.platFormTradeNo);
    expect(await client.query({ platFormTradeNo: created.platFormTradeNo })).toMatchObject({ tradeNo: request.tradeNo, amount: '25.00', status: '0015' });
    expect(await client.close({ tradeNo: request.tradeNo })).toMatchObject({ status: '00029', desc: 'CLOSED' }); // the family status set, the default
  });

  it('sends an amount given as a number as the number, and answers tradeNo and paymentLink', async () => {
    const request = checkout({ amount: 12.5 });
    const created = await client.createCheckout(request);
    expect(created).toMatchObject({ tradeNo: request.tradeNo, paymentLink: created.paymentUrl });
    expect(await client.query({ tradeNo: request.tradeNo })).toMatchObject({ amount: '12.50' });
  });

  it('a paid order is refunded, the refund queried, the balance read, and the notifications verify', async () => {
    const request = checkout();
    const created = await client.createCheckout(request);
    const customer = new CashierClient(t, new URL(created.paymentUrl).searchParams.get('data')!);
    await customer.open();
    await customer.pay('4242424242424242');
    expect(await client.query({ tradeNo: request.tradeNo })).toMatchObject({ status: '0000', cardLast4: '4242', payAmount: '25.00' });
    const refund = await client.refund({ tradeNo: request.tradeNo, refundNo: `${request.tradeNo}-r1`, amount: '5.00', reason: 'one returned' });
    expect(refund).toMatchObject({ status: '0000', amount: '5.00', refundedAmount: '5.00', reason: 'one returned' });
    expect(await client.refundQuery({ refundNo: `${request.tradeNo}-r1` })).toMatchObject({ status: '0000', tradeNo: request.tradeNo });
    expect(await client.balance()).toMatchObject({ currency: 'USD', unsettledAmount: expect.stringMatching(/^\d+\.\d\d$/) });

    const ours = () => receiver.received.filter((r) => r.body.tradeNo === request.tradeNo);
    await until(() => ours().length >= 2);
    const verified = ours().map((r) => verifyNotification(JSON.stringify(r.body), [t.merchant.appSecret]));
    expect(verified.map((v) => v.notifyType).sort()).toEqual(['PAYMENT', 'REFUND']);
  });

  it('throws a PayrailApiError carrying the business code and msg', async () => {
    const wrong = new PayrailClient({ baseUrl, merchantNo: t.merchant.merchantNo, appSecret: 'not-the-secret' });
    const refused = await wrong.query({ tradeNo: 'x' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PayrailApiError);
    expect(refused).toMatchObject({ code: '8001', httpStatus: 200 });
    const missing = await client.query({ tradeNo: 'no-such-order' }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: '8009' });
    const exceeded = await client.createCheckout(checkout({ amount: '1.234' })).catch((error: unknown) => error);
    expect(exceeded).toMatchObject({ code: '8007' });
  });

  it('signs with HMAC-SHA256 when asked, and the gateway answers', async () => {
    const hmac = new PayrailClient({ baseUrl, merchantNo: t.merchant.merchantNo, appSecret: t.merchant.appSecret, signType: 'HMAC-SHA256', placement: 'prefix' });
    expect(await hmac.balance()).toMatchObject({ currency: 'USD' });
  });

  it('retries a network error with a fresh sign, and the checkout is created once', async () => {
    const calls: string[] = [];
    let failures = 1;
    const flaky: typeof fetch = async (input, init) => {
      calls.push(JSON.parse(String(init!.body)).sign);
      if (failures-- > 0) {
        // The request reached the gateway but the answer was lost.
        await fetch(input, init);
        throw new TypeError('fetch failed: socket hang up');
      }
      return fetch(input, init);
    };
    const retrying = new PayrailClient({ baseUrl, merchantNo: t.merchant.merchantNo, appSecret: t.merchant.appSecret, fetch: flaky, retryDelayMs: 5 });
    const request = checkout();
    const created = await retrying.createCheckout(request);
    expect(calls).toHaveLength(2);
    expect(created.status).toBe('0015');
    const orders = await t.gateway.context.db.selectFrom('orders').select('plat_form_trade_no').where('trade_no', '=', request.tradeNo).execute();
    expect(orders.map((o) => o.plat_form_trade_no)).toEqual([created.platFormTradeNo]);
  });

  it('gives up with a PayrailNetworkError after its retries when the gateway does not answer in time', async () => {
    let requests = 0;
    const silent = http.createServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const slow = new PayrailClient({ baseUrl: `http://127.0.0.1:${port}`, merchantNo: '1234567890', appSecret: 's', timeoutMs: 150, retries: 2, retryDelayMs: 5 });
      const started = Date.now();
      const error = await slow.balance().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PayrailNetworkError);
      expect(requests).toBe(3);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('does not retry a business error', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const c = new PayrailClient({ baseUrl, merchantNo: t.merchant.merchantNo, appSecret: t.merchant.appSecret, fetch: counting });
    await expect(c.refundQuery({ refundNo: 'none' })).rejects.toMatchObject({ code: '8009' });
    expect(calls).toBe(1);
  });

  it('sends payouts on the wire of API section 12', async () => {
    const seen: Array<{ url: string; body: Record<string, string> }> = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), body: JSON.parse(String(init!.body)) });
      return new Response(JSON.stringify({ code: '0000', msg: 'success', success: true, timestamp: 1, data: { tradeNo: 'p-1', status: '0015' } }));
    };
    const c = new PayrailClient({ baseUrl, merchantNo: '1234567890', appSecret: 's', fetch: recording });
    await c.payout({ tradeNo: 'p-1', amount: '10.00', customerName: 'Ada', customerAccount: '4242424242424242', notifyUrl: 'https://shop.example/n' });
    await c.payoutQuery({ tradeNo: 'p-1' });
    expect(seen[0]!.url).toBe(`${baseUrl}/v1/payout`);
    expect(seen[0]!.body).toMatchObject({ currency: 'USD', customerAccountType: 'DebitCard', customerAccount: '4242424242424242' });
    expect(seen[1]!.url).toBe(`${baseUrl}/v1/payout/query`);
  });
});
