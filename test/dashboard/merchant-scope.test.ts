import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { DashboardClient } from '../support/dashboard-client.ts';
import { oneMerchant } from '../../src/domain/console-scope.ts';
import { registerForms } from '../../src/web/forms.ts';
import { orderRoutes } from '../../src/dashboard/routes/order-routes.ts';
import { orderActionRoutes } from '../../src/dashboard/routes/order-action-routes.ts';
import { notificationRoutes } from '../../src/dashboard/routes/notification-routes.ts';
import { overviewRoutes } from '../../src/dashboard/routes/overview-routes.ts';
import { merchantPageRoutes } from '../../src/dashboard/routes/merchant-page-routes.ts';
import type { Workers } from '../../src/jobs/worker.ts';

/**
 * The pages of this part of the console for a merchant user, whose scope is its own merchant:
 * the routes are mounted behind a stand-in for the sign-in that gives every request that scope,
 * and every URL naming another merchant's order, notification or merchant number answers 404.
 */
describeEachDatabase('console pages in a one-merchant scope', (kind) => {
  let t: TestGateway;
  let app: FastifyInstance;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers | undefined;
  let user: DashboardClient;
  let other: TestMerchant;
  let mine: string;
  let theirs: string;
  let theirNotification: string;

  async function paidOrder(merchant?: TestMerchant) {
    const customer = await CashierClient.forNewOrder(t, { amount: '12.00', notifyUrl: `${receiver.url}/down`, email: merchant ? 'theirs@example.com' : 'mine@example.com' }, merchant);
    await customer.open();
    await customer.pay('4242424242424242');
    return customer.platFormTradeNo;
  }

  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms', NOTIFY_TIMEOUT_MS: 1000 });
    other = await t.addMerchant({ name: 'Other Shop' });
    receiver = await startReceiver(() => ({ status: 500, body: 'no' }));
    workers = t.gateway.startWorkers({ pollMs: 50, sweepEveryMs: 60_000 });
    mine = await paidOrder();
    theirs = await paidOrder(other);
    const job = () => t.gateway.context.db.selectFrom('jobs').select(['id', 'status']).where('order_no', '=', theirs).where('kind', '=', 'notify').executeTakeFirst();
    await until(async () => (await job())?.status === 'failed');
    theirNotification = (await job())!.id;
    await workers.stop();
    workers = undefined;

    const context = t.gateway.context;
    app = Fastify();
    await registerForms(app, { path: '/dashboard', cookieKey: 'payrail_dashboard_csrf', bodyLimit: 8192, secure: false });
    app.addHook('onRequest', async (request) => {
      request.admin = { id: 99, email: 'clerk@shop.example', mustChangePassword: false, role: 'merchant-admin', scope: oneMerchant(t.merchant.merchantNo), merchantNo: t.merchant.merchantNo, mayAct: true };
    });
    for (const routes of [orderRoutes, orderActionRoutes, notificationRoutes, overviewRoutes, merchantPageRoutes]) routes(app, context);
    await app.ready();
    user = new DashboardClient(app);
  });
  afterAll(async () => {
    await workers?.stop();
    await app?.close();
    await t.close();
    await receiver.close();
  });

  it('lists, exports and sums only its own merchant', async () => {
    const orders = await user.get('/dashboard/orders');
    expect(orders.html).toContain(mine);
    expect(orders.html).not.toContain(theirs);
    expect(orders.html).not.toContain('All merchants');
    expect((await user.get(`/dashboard/orders?merchant=${other.merchantNo}`)).html).not.toContain(theirs);
    const csv = await user.get('/dashboard/orders.csv');
    expect(csv.html).toContain(mine);
    expect(csv.html).not.toContain(theirs);
    const notifications = await user.get('/dashboard/notifications');
    expect(notifications.html).toContain(mine);
    expect(notifications.html).not.toContain(theirs);
    expect((await user.get('/dashboard/overview?range=7d')).html).toContain('12.00 USD');
    expect((await user.get('/dashboard/overview?range=7d')).html).not.toContain('24.00 USD');
    const account = await user.get('/dashboard/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain(t.merchant.merchantNo);
    expect(account.html).not.toContain(other.merchantNo);
  });

  it("answers 404 to every page and action naming another merchant's records", async () => {
    await user.get('/dashboard/orders');
    const gets = [
      `/dashboard/orders/${theirs}`,
      `/dashboard/orders/${theirs}/refund`,
      `/dashboard/orders/${theirs}/close`,
      `/dashboard/merchants/${other.merchantNo}`,
      `/dashboard/merchants/${other.merchantNo}/statement.csv`,
      `/dashboard/merchants/${other.merchantNo}/rotate-secret`,
      `/dashboard/merchants/${other.merchantNo}/integration?saltPlacement=prefix&requireHmac=1&statusSet=family`,
      `/dashboard/merchants/${other.merchantNo}/disable`,
      `/dashboard/merchants/${t.merchant.merchantNo}/disable`,
    ];
    for (const url of gets) expect((await user.get(url)).status, url).toBe(404);
    const posts: [string, Record<string, string>][] = [
      [`/dashboard/orders/${theirs}/refund`, { amount: '1.00', refundNo: 'console-theirs' }],
      [`/dashboard/orders/${theirs}/close`, {}],
      [`/dashboard/orders/${theirs}/resend`, {}],
      [`/dashboard/notifications/${theirNotification}/resend`, {}],
      [`/dashboard/merchants/${other.merchantNo}/rotate-secret/confirmed`, { version: 'x' }],
      [`/dashboard/merchants/${other.merchantNo}/integration`, { saltPlacement: 'prefix', requireHmac: '1', statusSet: 'family' }],
    ];
    for (const [url, form] of posts) expect((await user.post(url, form)).status, url).toBe(404);
    const db = t.gateway.context.db;
    expect(await db.selectFrom('refunds').select('id').execute()).toEqual([]);
    expect((await db.selectFrom('jobs').select('status').where('id', '=', theirNotification).executeTakeFirstOrThrow()).status).toBe('failed');
    expect(await db.selectFrom('merchants').select(['salt_placement', 'previous_secret_sealed']).where('merchant_no', '=', other.merchantNo).executeTakeFirstOrThrow()).toEqual({ salt_placement: 'suffix', previous_secret_sealed: null });
    expect(await db.selectFrom('audit_log').select('id').execute()).toEqual([]);
  });

  it('lets the merchant user act on its own records', async () => {
    expect((await user.get(`/dashboard/orders/${mine}`)).status).toBe(200);
    const confirm = await user.get(`/dashboard/orders/${mine}/refund?amount=2.00`);
    const refundNo = /name="refundNo" value="([^"]+)"/.exec(confirm.html)![1]!;
    const done = await user.post(`/dashboard/orders/${mine}/refund`, { amount: '2.00', reason: '', refundNo });
    expect(done.location).toBe(`/dashboard/orders/${mine}?notice=refunded`);
    const settings = await user.post(`/dashboard/merchants/${t.merchant.merchantNo}/integration`, { saltPlacement: 'prefix', requireHmac: '0', statusSet: 'family' });
    expect(settings.location).toBe('/dashboard/account?notice=integration');
    const audit = await t.gateway.context.db.selectFrom('audit_log').select(['actor_role', 'merchant_no', 'action']).orderBy('id').execute();
    expect(audit).toEqual([
      { actor_role: 'merchant-admin', merchant_no: t.merchant.merchantNo, action: 'order.refund' },
      { actor_role: 'merchant-admin', merchant_no: t.merchant.merchantNo, action: 'merchant.integration-settings' },
    ]);
  });
});
