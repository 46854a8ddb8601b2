import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { listOrders } from '../../src/store/console/list-orders.ts';
import type { Workers } from '../../src/jobs/worker.ts';
import { ALL_MERCHANTS } from '../../src/domain/console-scope.ts';

describeEachDatabase('dashboard orders', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers | undefined;
  let operator: DashboardClient;
  let paid: { tradeNo: string; platFormTradeNo: string };

  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms,100ms', NOTIFY_TIMEOUT_MS: 1000 });
    receiver = await startReceiver(() => ({ body: 'OK' }));
    workers = t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);

    const customer = await CashierClient.forNewOrder(t, { amount: '1234.50', notifyUrl: `${receiver.url}/notify`, remark: '<b>gift</b>' });
    await customer.open();
    await customer.pay('4000000000000002'); // declined first: an attempt with a reason
    await customer.pay('4242424242424242');
    paid = customer;
    await until(async () => {
      const job = await t.gateway.context.db.selectFrom('jobs').select('status').where('order_no', '=', paid.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirst();
      return job?.status === 'done';
    });
  });
  afterAll(async () => {
    await workers?.stop();
    await t.close();
    await receiver.close();
  });

  const notifyJob = () =>
    t.gateway.context.db.selectFrom('jobs').selectAll().where('order_no', '=', paid.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();

  it('lists a paid order newest first, with its amount formatted from cents', async () => {
    await t.post('/v1/checkout', checkoutFields({ amount: '5.00' }));
    const page = await operator.get('/dashboard/orders');
    expect(page.status).toBe(200);
    expect(page.html).toContain(paid.platFormTradeNo);
    expect(page.html).toContain(paid.tradeNo);
    expect(page.html).toContain('1234.50 USD');
    expect(page.html).toContain('SUCCESS');
    expect(page.html.indexOf('5.00 USD')).toBeLessThan(page.html.indexOf('1234.50 USD'));
  });

  it('filters by status and merchant, and finds an order by tradeNo or platFormTradeNo', async () => {
    const other = await t.addMerchant({ name: 'Other Shop' });
    const otherOrder = checkoutFields();
    await t.post('/v1/checkout', otherOrder, { merchant: other });

    const paidOnly = await operator.get('/dashboard/orders?status=0000');
    expect(paidOnly.html).toContain(paid.platFormTradeNo);
    expect(paidOnly.html).not.toContain(otherOrder.tradeNo as string);

    const ofOther = await operator.get(`/dashboard/orders?merchant=${other.merchantNo}`);
    expect(ofOther.html).toContain(otherOrder.tradeNo as string);
    expect(ofOther.html).not.toContain(paid.platFormTradeNo);

    for (const q of [paid.tradeNo, paid.platFormTradeNo]) {
      const found = await operator.get(`/dashboard/orders?q=${q}`);
      expect(found.html).toContain(paid.platFormTradeNo);
      expect(found.html).not.toContain(otherOrder.tradeNo as string);
    }
    expect((await operator.get('/dashboard/orders?q=nothing-like-this')).html).toContain('No orders match.');
  });

  it('pages through orders with a keyset cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 4; i += 1) await t.post('/v1/checkout', checkoutFields());
    const all = (await listOrders(t.gateway.context.db, ALL_MERCHANTS, {}, { limit: 1000 })).orders.map((o) => o.plat_form_trade_no);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listOrders(t.gateway.context.db, ALL_MERCHANTS, {}, { limit: 2, after });
      seen.push(...page.orders.map((o) => o.plat_form_trade_no));
      after = page.next;
    } while (after);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(7);
  });

  it('shows the order, its payment attempts (brand, BIN, last 4, reason) and its notification attempts', async () => {
    const page = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('1234.50 USD');
    expect(page.html).toContain('&lt;b&gt;gift&lt;/b&gt;');
    expect(page.html).toMatch(/<td>visa<\/td><td class="mono">424242<\/td><td class="mono">4242<\/td>/);
    expect(page.html).toMatch(/<td class="mono">400000<\/td><td class="mono">0002<\/td><td><span class="status bad">declined<\/span><\/td><td>[A-Z_]+<\/td>/);
    const job = await notifyJob();
    const [delivery] = await t.gateway.context.db.selectFrom('notification_attempts').selectAll().where('notify_id', '=', job.id).execute();
    expect(page.html).toContain(job.id);
    expect(page.html).toMatch(/<td class="num">200<\/td><td class="num">\d+ ms<\/td><td class="mono excerpt">OK<\/td>/);
    expect(page.html).toContain(delivery!.worker);
    expect(page.html).toContain('Resend notification');
    // Nothing more of the card than brand, BIN and last 4; no fingerprint.
    const [attempt] = await t.gateway.context.db.selectFrom('payment_attempts').select('card_fingerprint').where('order_no', '=', paid.platFormTradeNo).execute();
    expect(page.html).not.toContain('4242424242424242');
    expect(page.html).not.toContain(attempt!.card_fingerprint);
  });

  it('tells the truth at a glance: declined attempts beside the status and the merchant by name in the list; on the order page the money, the settlement and the events in words', async () => {
    const list = await operator.get(`/dashboard/orders?q=${paid.platFormTradeNo}`);
    const row = new RegExp(`<a href="/dashboard/orders/${paid.platFormTradeNo}"[\\s\\S]*?</tr>`).exec(list.html)![0];
    expect(row).toContain('<span class="status good">SUCCESS</span> <span class="status bad">1 declined</span>');
    const merchant = await t.gateway.context.db.selectFrom('merchants').select('name').where('merchant_no', '=', t.merchant.merchantNo).executeTakeFirstOrThrow();
    expect(row).toContain(`<td title="${t.merchant.merchantNo}">${merchant.name}</td>`);

    const page = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    const order = await t.gateway.context.db.selectFrom('orders').select(['amount_cents', 'paid_at']).where('plat_form_trade_no', '=', paid.platFormTradeNo).executeTakeFirstOrThrow();
    const fee = await t.gateway.context.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_postings as p', 'p.id', 'e.posting_id')
      .select('e.amount_cents')
      .where('p.order_no', '=', paid.platFormTradeNo)
      .where('e.account', '=', 'fee_revenue')
      .executeTakeFirstOrThrow();
    const feeCents = -fee.amount_cents;
    expect(feeCents).toBeGreaterThan(0);
    const money = (cents: number) => `${(cents / 100).toFixed(2)} USD`;
    expect(page.html).toContain(`<dt>Fee</dt><dd>${money(feeCents)}</dd>`);
    expect(page.html).toContain(`<dt>Refunded</dt><dd>0.00 USD</dd>`);
    expect(page.html).toContain(`<strong>${money(order.amount_cents - feeCents)}</strong>`);
    // A paid order does not expire; it is due for settlement SETTLEMENT_DELAY_HOURS after payment.
    expect(page.html).not.toContain('<dt>Expires</dt>');
    expect(page.html).toMatch(/<dt>Settled<\/dt><dd>not yet: due from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d<\/dd>/);
    // The event log in sentences, not JSON.
    expect(page.html).toContain('Order created for 1234.50 USD.');
    expect(page.html).toMatch(/The acquirer declined the card: [A-Z_]+ \(attempt [^)]+\)\./);
    expect(page.html).toContain('The acquirer approved the payment');
    expect(page.html).not.toMatch(/\{&quot;|\{"attempt/);
    // The simulator has no dashboard: its reference is shown, not linked.
    expect(page.html).toMatch(/<h2 id="processor">At the processor<\/h2>/);
    expect(page.html).not.toContain('dashboard.stripe.com');
  });

  it('answers 404 for an unknown order', async () => {
    expect((await operator.get('/dashboard/orders/zzzzzzzzzzzzzzzz')).status).toBe(404);
    expect((await operator.get('/dashboard/orders/not-an-order')).status).toBe(404);
  });

  it('refuses Resend without its CSRF token, and leaves the notification alone', async () => {
    await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    const page = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/resend`, { _csrf: '' });
    expect(page.status).toBe(403);
    const forged = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/resend`, { _csrf: 'forged-token' });
    expect(forged.status).toBe(403);
    expect((await notifyJob()).status).toBe('done');
  });

  it('re-queues the latest notification with Resend: the job is pending again, then delivered again', async () => {
    await workers!.stop();
    workers = undefined;
    const before = receiver.received.length;
    await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    const page = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/resend`);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/dashboard/orders/${paid.platFormTradeNo}?notice=resent`);
    expect(await notifyJob()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await operator.get(page.location!)).html).toContain('queued again');

    workers = t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    await receiver.waitFor(before + 1);
    expect(receiver.received.at(-1)!.body.platFormTradeNo).toBe(paid.platFormTradeNo);
    await until(async () => (await notifyJob()).status === 'done');
  });

  it('says so when an order has no notification to resend yet', async () => {
    const { body } = await t.post('/v1/checkout', checkoutFields());
    await operator.get('/dashboard/orders');
    const page = await operator.post(`/dashboard/orders/${body.data.platFormTradeNo}/resend`);
    expect(page.location).toContain('notice=none');
  });
});
