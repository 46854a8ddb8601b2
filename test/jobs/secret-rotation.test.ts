import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { buildSignString, signString } from '../../src/domain/signature.ts';
import { findMerchant, merchantSigning, rotateSecret } from '../../src/store/merchants.ts';

describeEachDatabase('secret rotation', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms,200ms', NOTIFY_TIMEOUT_MS: 500 });
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  // As `payrail merchant rotate-secret` does from another process; this node's cache would see it within a second.
  const rotate = async (merchant: TestMerchant, graceMs?: number) => {
    const rotated = await rotateSecret(t.gateway.context.db, t.gateway.context.masterKey, merchant.merchantNo, new Date(), graceMs);
    t.gateway.context.merchants.forget(merchant.merchantNo);
    return rotated!.appSecret;
  };

  /** Creates and closes an order with requests signed by `secret`; resolves to the notification the merchant receives. */
  const notificationFor = async (merchant: TestMerchant, secret: string) => {
    const path = `/n-${Math.random()}`;
    const fields = checkoutFields({ notifyUrl: `${receiver.url}${path}` });
    expect((await t.post('/v1/checkout', fields, { merchant, secret })).body.code).toBe('0000');
    expect((await t.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string }, { merchant, secret })).body.code).toBe('0000');
    const [delivery] = await until(() => receiver.received.filter((r) => r.path === path).length > 0 && receiver.received.filter((r) => r.path === path));
    return delivery!.body;
  };
  const signedWith = (body: Record<string, unknown>, secret: string) =>
    body.sign === signString(buildSignString(body as never), secret, { signType: 'MD5', placement: 'suffix' });

  it('signs with the old secret until the merchant first signs a request with the new one', async () => {
    const merchant = await t.addMerchant();
    const oldSecret = merchant.appSecret;
    const newSecret = await rotate(merchant);

    const before = await notificationFor(merchant, oldSecret);
    expect(signedWith(before, oldSecret)).toBe(true);
    expect((await findMerchant(t.gateway.context.db, merchant.merchantNo))!.active_secret_used_at).toBeNull();

    const after = await notificationFor(merchant, newSecret);
    expect(signedWith(after, newSecret)).toBe(true);
    expect((await findMerchant(t.gateway.context.db, merchant.merchantNo))!.active_secret_used_at).toBeInstanceOf(Date);

    // Once switched, a request still signed with the old secret (within the grace) does not switch back.
    const still = await notificationFor(merchant, oldSecret);
    expect(signedWith(still, newSecret)).toBe(true);

    // A second rotation waits for the merchant again.
    const third = await rotate({ ...merchant, appSecret: newSecret });
    const waiting = await notificationFor(merchant, newSecret);
    expect(signedWith(waiting, newSecret)).toBe(true);
    expect(signedWith(await notificationFor(merchant, third), third)).toBe(true);
  });

  it('signs with the new secret once the grace period is over, used or not', async () => {
    const merchant = await t.addMerchant();
    await rotate(merchant, 60_000);
    const row = (await findMerchant(t.gateway.context.db, merchant.merchantNo))!;
    const key = t.gateway.context.masterKey;
    const active = key.open(row.app_secret_sealed);
    expect(merchantSigning(row, key, new Date()).secret.reveal()).toBe(merchant.appSecret);
    expect(merchantSigning(row, key, new Date(Date.now() + 61_000)).secret.reveal()).toBe(active);
  });
});
