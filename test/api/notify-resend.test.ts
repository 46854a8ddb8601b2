import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { verifyBody } from '../../src/domain/signature.ts';

/** `POST /v1/notify/resend` for payouts (docs/api.md: notifications, payouts); the order cases are in test/jobs/notify.test.ts. */
describeEachDatabase('POST /v1/notify/resend for payouts', (kind) => {
  let t: TestGateway;
  let merchant: TestMerchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    receiver = await startReceiver();
    merchant = await t.addMerchant({ feeBps: 0 });
    await fundMerchant(t, merchant, '50.00');
    t.gateway.startWorkers({ pollMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const notices = (tradeNo: string) => receiver.received.filter((r) => r.body.tradeNo === tradeNo);

  it("queues a payout's PAYOUT notification again, by its tradeNo or its platFormTradeNo, with the same notifyId", async () => {
    const fields = payoutFields({ amount: '5.00', notifyUrl: `${receiver.url}/payout` });
    const created = (await t.post('/v1/payout', fields, { merchant })).body.data;
    const first = await until(() => notices(fields.tradeNo!)[0]);
    expect(first.body).toMatchObject({ notifyType: 'PAYOUT', status: '0000' });

    const byTradeNo = await t.post('/v1/notify/resend', { tradeNo: fields.tradeNo! }, { merchant });
    expect(byTradeNo.body).toMatchObject({ code: '0000', data: { tradeNo: fields.tradeNo, platFormTradeNo: created.platFormTradeNo, notifyId: first.body.notifyId } });
    await until(() => notices(fields.tradeNo!).length >= 2 || undefined);

    const byPlatFormTradeNo = await t.post('/v1/notify/resend', { platFormTradeNo: created.platFormTradeNo }, { merchant });
    expect(byPlatFormTradeNo.body).toMatchObject({ code: '0000', data: { tradeNo: fields.tradeNo, notifyId: first.body.notifyId } });
    await until(() => notices(fields.tradeNo!).length >= 3 || undefined);
    for (const notice of notices(fields.tradeNo!)) {
      expect(notice.body).toMatchObject({ notifyType: 'PAYOUT', status: '0000', notifyId: first.body.notifyId, platFormTradeNo: created.platFormTradeNo });
      expect(() => verifyBody(notice.body, { secrets: [merchant.appSecret], requireHmac: false })).not.toThrow();
    }
  });

  it("answers 8010 for a payout still processing, and 8009 for an unknown or another merchant's payout", async () => {
    // The "times out" card: the payout stays PROCESSING until the reconciler asks the acquirer.
    const pending = payoutFields({ amount: '1.00', customerAccount: '4000000000003063' });
    const answer = await t.post('/v1/payout', pending, { merchant });
    expect(answer.body.data.status).toBe('0015');
    const resend = await t.post('/v1/notify/resend', { tradeNo: pending.tradeNo! }, { merchant });
    expect(resend.body).toMatchObject({ code: '8010', msg: `payout ${pending.tradeNo} has no notification yet` });

    expect((await t.post('/v1/notify/resend', { tradeNo: 'PO-none' }, { merchant })).body).toMatchObject({ code: '8009', msg: 'order PO-none not found' });
    expect((await t.post('/v1/notify/resend', { platFormTradeNo: 'zzzzzzzzzzzzzzzz' }, { merchant })).body.code).toBe('8009');
    const paid = payoutFields({ amount: '1.00' });
    const created = (await t.post('/v1/payout', paid, { merchant })).body.data;
    expect((await t.post('/v1/notify/resend', { tradeNo: paid.tradeNo! })).body.code).toBe('8009');
    expect((await t.post('/v1/notify/resend', { platFormTradeNo: created.platFormTradeNo })).body.code).toBe('8009');
  });

  it('keeps a tradeNo naming an order to the order: the payout of the same tradeNo is reached by its platFormTradeNo', async () => {
    const shared = `SHARED-${Date.now()}`;
    expect((await t.post('/v1/checkout', checkoutFields({ tradeNo: shared }), { merchant })).body.code).toBe('0000');
    const created = (await t.post('/v1/payout', payoutFields({ tradeNo: shared, amount: '1.00', notifyUrl: `${receiver.url}/shared` }), { merchant })).body.data;
    await until(() => notices(shared).find((r) => r.body.notifyType === 'PAYOUT'));
    // The open order has no notification yet: the order answers, as before payouts could be resent.
    expect((await t.post('/v1/notify/resend', { tradeNo: shared }, { merchant })).body).toMatchObject({ code: '8010', msg: `order ${shared} has no notification yet` });
    const payout = await t.post('/v1/notify/resend', { platFormTradeNo: created.platFormTradeNo }, { merchant });
    expect(payout.body).toMatchObject({ code: '0000', data: { tradeNo: shared, platFormTradeNo: created.platFormTradeNo } });
    const both = await t.post('/v1/notify/resend', { tradeNo: shared, platFormTradeNo: created.platFormTradeNo }, { merchant });
    expect(both.body.code).toBe('8000');
  });
});
