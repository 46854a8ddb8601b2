import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { ALL_MERCHANTS, oneMerchant } from '../../src/domain/console-scope.ts';
import { loadOverview } from '../../src/store/console/console-overview.ts';
import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { backdateOrder } from '../support/backdate-order.ts';
import { payoutFields } from '../support/payouts.ts';

describeEachDatabase('dashboard overview', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let other: TestMerchant;
  let refundedOrder: string;

  async function pay(amount: string, cards: string[], merchant?: TestMerchant) {
    const customer = await CashierClient.forNewOrder(t, { amount }, merchant);
    await customer.open();
    for (const card of cards) await customer.pay(card);
    return customer;
  }

  beforeAll(async () => {
    t = await startTestGateway(kind);
    other = await t.addMerchant({ name: 'Other Shop' });
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    // Ours: 10.00 paid after a decline, 20.00 paid; the other merchant: 40.00 paid.
    const first = await pay('10.00', ['4000000000000002', '4242424242424242']);
    await pay('20.00', ['4242424242424242']);
    await pay('40.00', ['4242424242424242'], other);
    refundedOrder = first.platFormTradeNo;
    await t.post('/v1/refund', { platFormTradeNo: refundedOrder, refundNo: 'R-1', amount: '4.00' });
    // An order from two months ago stays out of every range.
    const old = await pay('99.00', ['4242424242424242']);
    await backdateOrder(t.gateway.context.db, old.platFormTradeNo, new Date(Date.now() - 60 * 86_400_000));
  });
  afterAll(async () => {
    await t.close();
  });

  it('sums volume, counts, approvals, declines by reason and refunds in the database, per scope', async () => {
    const all = await loadOverview(t.gateway.context.db, ALL_MERCHANTS, '30d', new Date());
    expect(all.orders).toEqual({ count: 3, paid: 3, paidCents: 7000, failed: 0 });
    expect(all.acquirers).toEqual([{ acquirer: 'simulator', approved: 3, declined: 1, errors: 0 }]);
    expect(all.declines).toHaveLength(1);
    expect(all.declines[0]!.count).toBe(1);
    expect(all.refunds).toMatchObject({ succeeded: 1, succeededCents: 400 });
    expect(all.series).toHaveLength(31);
    expect(all.series.reduce((sum, p) => sum + p.paidCents, 0)).toBe(7000);
    expect(all.series.at(-1)!.paid).toBe(3);

    const mine = await loadOverview(t.gateway.context.db, oneMerchant(t.merchant.merchantNo), '30d', new Date());
    expect(mine.orders).toEqual({ count: 2, paid: 2, paidCents: 3000, failed: 0 });
    expect(mine.acquirers).toEqual([{ acquirer: 'simulator', approved: 2, declined: 1, errors: 0 }]);
    const theirs = await loadOverview(t.gateway.context.db, oneMerchant(other.merchantNo), '30d', new Date());
    expect(theirs.refunds.succeeded).toBe(0);
    expect(theirs.declines).toEqual([]);

    const today = await loadOverview(t.gateway.context.db, ALL_MERCHANTS, 'today', new Date());
    expect(today.bucket).toBe('hour');
    expect(today.series.at(-1)!.label).toBe(`${String(new Date().getUTCHours()).padStart(2, '0')}:00`);
    expect(today.orders.paid).toBe(3);
  });

  it('splits approvals per acquirer when there are several', async () => {
    await t.gateway.context.db.updateTable('payment_attempts').set({ acquirer: 'http' }).where('order_no', '=', refundedOrder).execute();
    const all = await loadOverview(t.gateway.context.db, ALL_MERCHANTS, '7d', new Date());
    expect(all.acquirers).toEqual([
      { acquirer: 'http', approved: 1, declined: 1, errors: 0 },
      { acquirer: 'simulator', approved: 2, declined: 0, errors: 0 },
    ]);
    const page = await operator.get('/dashboard/overview?range=7d');
    expect(page.html).toContain('Approvals per acquirer');
    expect(page.html).toContain('http · 50.0% approved');
    expect(page.html).toContain('simulator · 100.0% approved');
  });

  it('draws its charts as inline SVG whose text carries every number', async () => {
    const page = await operator.get('/dashboard/overview?range=30d');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.html).not.toMatch(/<script|style="/);
    expect(page.html).toContain('70.00 USD');
    expect(page.html).toContain('4.00 USD');
    const svgs = page.html.match(/<svg class="chart[^"]*" viewBox="[^"]+" role="img" aria-labelledby="[^"]+"/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    const volume = /<title id="chart-paid-volume-per-day-t">Paid volume per day<\/title>\s*<desc id="chart-paid-volume-per-day-d">([^<]*)<\/desc>/.exec(page.html);
    expect(volume![1]).toContain(`${new Date().toISOString().slice(0, 10)}: 3 payments, 70.00 USD`);
    expect(page.html).toMatch(/<desc id="chart-notifications-queued-in-the-period-by-where-they-stand-d">Delivered: \d+; Retrying: \d+; Waiting for a first try: \d+; Failed: \d+<\/desc>/);
  });

  it('labels both axes of the volume chart, tells orders from card attempts, and puts net volume beside gross', async () => {
    const page = await operator.get('/dashboard/overview?range=30d');
    const chart = /<svg class="chart" [^>]*aria-labelledby="chart-paid-volume-per-day-t[\s\S]*?<\/svg>/.exec(page.html)![0];
    expect(chart).toContain('<text class="axis-title" ');
    expect(chart).toContain('>Day (UTC)</text>');
    expect(chart).toContain('>Paid volume (USD)</text>');
    // y ticks 0, half and top, in money; x labels spread over the 31 days (every third), not only the first and last.
    expect([...chart.matchAll(/<text class="tick end"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['0.00', '35.00', '70.00']);
    expect([...chart.matchAll(/<text class="tick middle"/g)].length).toBe(11);
    const tile = (label: string) => new RegExp(`<div class="muted">${label}</div><div class="figure">([^<]+)</div><div class="muted">([^<]+)</div>`).exec(page.html)?.slice(1);
    expect(tile('Gross volume')).toEqual(['70.00 USD', '3 paid orders']);
    expect(tile('Net volume')).toEqual(['66.00 USD', 'gross less 4.00 USD refunded']);
    expect(tile('Orders')).toEqual(['3', '3 paid, 0 failed after every attempt, 0 open, expired or closed']);
    expect(tile('Card attempts')).toEqual(['4', '3 approved, 1 declined, 0 errors']);
  });

  it('falls back to today for an unknown range', async () => {
    const page = await operator.get('/dashboard/overview?range=forever');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/dashboard/overview?range=today" aria-current="page">Today</a>');
  });

  it('shows payouts once there are some, in the scope of their merchant', async () => {
    expect((await operator.get('/dashboard/overview?range=7d')).html).not.toContain('<div class="muted">Payouts</div>');
    await settlePayments(t.gateway.context.db, 0, new Date(Date.now() + 1000));
    const { body } = await t.post('/v1/payout', payoutFields({ amount: '5.00' }), { merchant: other });
    expect(body.code).toBe('0000');
    const all = await loadOverview(t.gateway.context.db, ALL_MERCHANTS, '7d', new Date());
    expect(all.payouts.paid + all.payouts.processing).toBe(1);
    expect(all.payouts.paid === 0 || all.payouts.paidCents === 500).toBe(true);
    expect((await loadOverview(t.gateway.context.db, oneMerchant(t.merchant.merchantNo), '7d', new Date())).payouts).toEqual({ paid: 0, paidCents: 0, processing: 0, failed: 0 });
    expect((await operator.get('/dashboard/overview?range=7d')).html).toContain('<div class="muted">Payouts</div>');
  });
});
