import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import type { Workers } from '../../src/jobs/worker.ts';

describeEachDatabase('dashboard payouts', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers | undefined;
  let operator: DashboardClient;
  let merchant: TestMerchant;
  const paid = payoutFields({ amount: '12.00' });
  const failed = payoutFields({ amount: '3.00', customerAccount: '4000000000000002' });
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms,100ms', NOTIFY_TIMEOUT_MS: 1000 });
    receiver = await startReceiver(() => ({ body: 'OK' }));
    workers = t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    merchant = await t.addMerchant({ name: 'Payout <Shop>', feeBps: 0, payoutFeeCents: 30 });
    await fundMerchant(t, merchant, '50.00');
    for (const fields of [paid, failed]) {
      fields.notifyUrl = `${receiver.url}/payout`;
      numbers[fields.tradeNo!] = (await t.post('/v1/payout', fields, { merchant })).body.data.platFormTradeNo;
    }
    await until(() => receiver.received.length >= 2 && true);
  });
  afterAll(async () => {
    await workers?.stop();
    await t.close();
    await receiver.close();
  });

  it('lists payouts with amount, fee, status and masked card, filtered by status', async () => {
    const page = await operator.get('/dashboard/payouts');
    expect(page.status).toBe(200);
    expect(page.html).toContain(numbers[paid.tradeNo!]);
    expect(page.html).toContain(numbers[failed.tradeNo!]);
    expect(page.html).toContain('12.00 USD');
    expect(page.html).toContain('0.30 USD');
    expect(page.html).toContain('FAILED: DO_NOT_HONOR');
    expect(page.html).toContain('Visa •••• 4242');
    expect(page.html).not.toContain('4242424242424242');
    const onlyFailed = await operator.get('/dashboard/payouts?status=00029');
    expect(onlyFailed.html).toContain(numbers[failed.tradeNo!]);
    expect(onlyFailed.html).not.toContain(numbers[paid.tradeNo!]);
  });

  it('shows a payout with its acquirer attempts and notification deliveries, and resends the notification', async () => {
    const page = await operator.get(`/dashboard/payouts/${numbers[paid.tradeNo!]}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Payout &lt;Shop&gt;');
    expect(page.html).toMatch(/accepted[\s\S]*sent[\s\S]*paid/);
    expect(page.html).toMatch(/1 delivery attempt\(s\) recorded/);
    expect(page.html).not.toContain('4242424242424242');
    const before = receiver.received.filter((r) => r.body.tradeNo === paid.tradeNo).length;
    const resent = await operator.post(`/dashboard/payouts/${numbers[paid.tradeNo!]}/resend`);
    expect(resent.status).toBe(303);
    expect(resent.location).toBe(`/dashboard/payouts/${numbers[paid.tradeNo!]}?notice=resent`);
    await until(() => receiver.received.filter((r) => r.body.tradeNo === paid.tradeNo).length > before);
    const again = receiver.received.filter((r) => r.body.tradeNo === paid.tradeNo);
    expect(new Set(again.map((r) => r.body.notifyId)).size).toBe(1);
    expect((await operator.get('/dashboard/payouts/zzzzzzzzzzzzzzzz')).status).toBe(404);
    expect((await operator.post(`/dashboard/payouts/${numbers[paid.tradeNo!]}/resend`, { _csrf: '' })).status).toBe(403);
  });

  it("sets a merchant payout fee from the merchant's own page, and refuses a malformed one", async () => {
    const own = await operator.get(`/dashboard/merchants/${merchant.merchantNo}`);
    expect(own.html).toMatch(/id="payoutFee" name="payoutFee"[^>]*value="0.30"/);
    const saved = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/payout-fee`, { payoutFee: '1.5' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/dashboard/merchants/${merchant.merchantNo}?notice=payout-fee`);
    const row = await t.gateway.context.db.selectFrom('merchants').select('payout_fee_cents').where('merchant_no', '=', merchant.merchantNo).executeTakeFirstOrThrow();
    expect(Number(row.payout_fee_cents)).toBe(150);
    await operator.get('/dashboard/merchants');
    const refused = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/payout-fee`, { payoutFee: '1.555' });
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/payout fee must be an amount/);
    // The fee applies to the next payout.
    const next = await t.post('/v1/payout/query', { tradeNo: (await t.post('/v1/payout', payoutFields({ amount: '1.00' }), { merchant })).body.data.tradeNo }, { merchant });
    expect(next.body.data.fee).toBe('1.50');
  });
});
