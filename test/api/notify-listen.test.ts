import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutFields, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { verifyNotification } from '../../src/sdk/index.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';

describe('POST /v1/notify/listen and payrail listen --forward-to', () => {
  let t: TestGateway;
  let other: TestMerchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let baseUrl = '';
  let listener: ChildProcess | undefined;

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    other = await t.addMerchant({ name: 'Other Store' });
    receiver = await startReceiver();
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (listener?.pid && listener.exitCode === null) process.kill(listener.pid, 'SIGTERM');
    await t?.close();
    await receiver?.close();
  });

  /** A closed order of `merchant`: one PAYMENT notification queued (to a notifyUrl nobody serves). */
  async function closedOrder(merchant: TestMerchant = t.merchant) {
    const fields = checkoutFields({ notifyUrl: `${receiver.url}/merchant-site` });
    await t.post('/v1/checkout', fields, { merchant });
    const closed = await t.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string }, { merchant });
    expect(closed.body.code).toBe('0000');
    return fields.tradeNo as string;
  }

  it('answers the notifications queued after the cursor, signed for the merchant, and only its own', async () => {
    const start = await t.post('/v1/notify/listen', { waitSeconds: '0' });
    expect(start.body).toMatchObject({ code: '0000', data: { notifications: [] } });
    const cursor: string = start.body.data.cursor;

    const mine = await closedOrder();
    await closedOrder(other);
    const next = await t.post('/v1/notify/listen', { cursor, waitSeconds: '0' });
    expect(next.body.code).toBe('0000');
    const notifications = next.body.data.notifications as Record<string, string>[];
    expect(notifications.map((n) => n.tradeNo)).toEqual([mine]);
    expect(verifyNotification(notifications[0]!, [t.merchant.appSecret])).toMatchObject({ notifyType: 'PAYMENT', status: '00029', message: 'CLOSED' });

    // The cursor moved past it.
    const after = await t.post('/v1/notify/listen', { cursor: next.body.data.cursor, waitSeconds: '0' });
    expect(after.body.data.notifications).toEqual([]);
  });

  it("answers a payout's PAYOUT notification too, signed for the merchant, and only its own", async () => {
    const payer = await t.addMerchant({ name: 'Payout Store', feeBps: 0 });
    const stranger = await t.addMerchant({ name: 'Stranger Store', feeBps: 0 });
    await fundMerchant(t, payer, '20.00');
    await fundMerchant(t, stranger, '20.00');
    const { cursor } = (await t.post('/v1/notify/listen', { waitSeconds: '0' }, { merchant: payer })).body.data;

    const paid = payoutFields({ amount: '4.00', notifyUrl: `${receiver.url}/payouts` });
    const failed = payoutFields({ amount: '3.00', customerAccount: '4000000000000002', notifyUrl: `${receiver.url}/payouts` });
    expect((await t.post('/v1/payout', paid, { merchant: payer })).body.data.status).toBe('0000');
    expect((await t.post('/v1/payout', failed, { merchant: payer })).body.data.status).toBe('00029');
    await t.post('/v1/payout', payoutFields({ amount: '1.00' }), { merchant: stranger });

    const next = await t.post('/v1/notify/listen', { cursor, waitSeconds: '0' }, { merchant: payer });
    const notifications = next.body.data.notifications as Record<string, string>[];
    expect(notifications.map((n) => n.tradeNo)).toEqual([paid.tradeNo, failed.tradeNo]);
    expect(verifyNotification(notifications[0]!, [payer.appSecret])).toMatchObject({ notifyType: 'PAYOUT', status: '0000', message: 'SUCCESS', amount: '4.00', remark: 'weekly payout' });
    expect(verifyNotification(notifications[1]!, [payer.appSecret])).toMatchObject({ notifyType: 'PAYOUT', status: '00029', message: 'FAILED: DO_NOT_HONOR', amount: '3.00' });
    expect(notifications[0]!.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The stranger's payout is its own: it reaches its listener, not this one.
    const strangers = await t.post('/v1/notify/listen', { cursor, waitSeconds: '0' }, { merchant: stranger });
    expect(strangers.body.data.notifications.map((n: Record<string, string>) => n.notifyType)).toEqual(['PAYOUT']);
  });

  it('waits for a notification that arrives during the call', async () => {
    const { cursor } = (await t.post('/v1/notify/listen', { waitSeconds: '0' })).body.data;
    const waiting = t.post('/v1/notify/listen', { cursor, waitSeconds: '10' });
    // Close the order only once the call has found nothing and is waiting.
    await until(async () => (await t.gateway.context.metrics.listenWaiting.get()).values[0]!.value === 1);
    const tradeNo = await closedOrder();
    const answered = await waiting;
    expect(answered.body.data.notifications.map((n: Record<string, string>) => n.tradeNo)).toEqual([tradeNo]);
  });

  it('refuses a bad sign, a wait over 25 seconds and a cursor it did not make', async () => {
    expect((await t.post('/v1/notify/listen', { waitSeconds: '0' }, { secret: 'wrong' })).body.code).toBe('8001');
    expect((await t.post('/v1/notify/listen', { waitSeconds: '26' })).body).toMatchObject({ code: '8002', msg: expect.stringContaining('waitSeconds') });
    expect((await t.post('/v1/notify/listen', { cursor: "1' OR 1=1", waitSeconds: '0' })).body).toMatchObject({ code: '8002', msg: expect.stringContaining('cursor') });
  });

  it('payrail listen forwards each new notification to the local URL, signed as usual', async () => {
    let output = '';
    listener = spawn('node', ['bin/payrail.js', 'listen', '--forward-to', `${receiver.url}/local-webhook`, '--gateway', baseUrl], {
      env: { ...process.env, PAYRAIL_MERCHANT_NO: t.merchant.merchantNo, PAYRAIL_APP_SECRET: t.merchant.appSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    listener.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    listener.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await until(() => output.includes('Ready:'), 60_000, 100);

    const tradeNo = await closedOrder();
    await closedOrder(other);
    const forwarded = await until(() => receiver.received.find((r) => r.path === '/local-webhook' && r.body.tradeNo === tradeNo), 30_000);
    expect(verifyNotification(forwarded.body, [t.merchant.appSecret])).toMatchObject({ tradeNo, notifyType: 'PAYMENT', status: '00029' });
    expect(forwarded.headers['user-agent']).toBe('Payrail-Listen/1');
    await until(() => output.includes(`PAYMENT ${tradeNo} 00029 CLOSED`) && output.includes('→ 200 OK'), 10_000);
    // Nothing of the other merchant came through.
    expect(receiver.received.filter((r) => r.path === '/local-webhook').map((r) => r.body.tradeNo)).toEqual([tradeNo]);

    // A payout's notification is forwarded the same way.
    await fundMerchant(t, t.merchant, '10.00');
    const payout = payoutFields({ amount: '2.00' });
    expect((await t.post('/v1/payout', payout)).body.code).toBe('0000');
    const forwardedPayout = await until(() => receiver.received.find((r) => r.path === '/local-webhook' && r.body.tradeNo === payout.tradeNo), 30_000);
    expect(verifyNotification(forwardedPayout.body, [t.merchant.appSecret])).toMatchObject({ notifyType: 'PAYOUT', status: '0000', amount: '2.00' });
    await until(() => output.includes(`PAYOUT ${payout.tradeNo} 0000 SUCCESS`), 10_000);
  }, 120_000);

  it('payrail listen stops with the business code when the secret is wrong', async () => {
    const wrong = spawn('node', ['bin/payrail.js', 'listen', '--forward-to', `${receiver.url}/x`, '--gateway', baseUrl], {
      env: { ...process.env, PAYRAIL_MERCHANT_NO: t.merchant.merchantNo, PAYRAIL_APP_SECRET: 'wrong' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    wrong.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => wrong.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('8001');
  }, 120_000);
});
