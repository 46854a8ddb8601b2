import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { dashboardRoutes, type DashboardRoute } from '../../src/dashboard/route-table.ts';

/**
 * A merchant user sees its own merchant and nothing else. The routes are read from the
 * dashboard itself (route-table.ts), so a route added later is tried too, or fails this test
 * until it is taught what its parameters are.
 */
describeEachDatabase('console scoping of a merchant user', (kind) => {
  let t: TestGateway;
  let own: TestMerchant;
  let other: TestMerchant;
  let merchantUser: DashboardClient;
  let operatorId: number;
  /** The other merchant's records, and the merchant user's own. */
  const theirs: Record<string, string> = {};
  const mine: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway(kind);
    own = t.merchant;
    other = await t.addMerchant({ name: 'Other Shop', feeBps: 0 });
    for (const [merchant, ids] of [[own, mine], [other, theirs]] as const) {
      const order = await fundMerchant(t, merchant, '50.00');
      const payout = await t.post('/v1/payout', payoutFields({ amount: '5.00' }), { merchant });
      const notify = await t.gateway.context.db.selectFrom('jobs').select('id').where('order_no', '=', order.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();
      Object.assign(ids, { orderNo: order.platFormTradeNo, tradeNo: order.tradeNo, payoutNo: payout.body.data.platFormTradeNo, merchantNo: merchant.merchantNo, notifyId: notify.id });
    }
    const db = t.gateway.context.db;
    operatorId = (await createUser(db, { email: 'ops@example.com', role: 'operator' })).id;
    const user = await createUser(db, { email: 'shop@example.com', role: 'merchant', merchantNo: own.merchantNo });
    merchantUser = new DashboardClient(t.gateway.app);
    expect((await merchantUser.logIn(user.email, user.password)).status).toBe(303);
  });
  afterAll(() => t.close());

  /** Another merchant's value for each route parameter; a parameter not named here fails the test. */
  const othersValue = (name: string): string | undefined =>
    ({ orderNo: theirs.orderNo, payoutNo: theirs.payoutNo, merchantNo: theirs.merchantNo, notifyId: theirs.notifyId, userId: String(operatorId) })[name];

  const fill = (route: DashboardRoute, values: (name: string) => string | undefined) => {
    const missing: string[] = [];
    const url = route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => values(name) ?? (missing.push(name), `:${name}`));
    return { url, missing };
  };

  it('has the dashboard routes to walk', () => {
    const routes = dashboardRoutes(t.gateway.context);
    expect(routes.some((route) => route.url === '/dashboard/orders/:orderNo' && !route.operatorOnly)).toBe(true);
    expect(routes.some((route) => route.url === '/dashboard/merchants' && route.operatorOnly)).toBe(true);
    expect(routes.some((route) => route.url === '/dashboard/users/:userId/disable' && route.method === 'POST' && route.operatorOnly)).toBe(true);
  });

  it('answers 404 to every route with another merchant\'s ids, and to every operator-only route', async () => {
    const db = t.gateway.context.db;
    const theirJobsBefore = await db.selectFrom('jobs').select(['id', 'status', 'run_at']).where('kind', '=', 'notify').orderBy('id').execute();
    const exercised: string[] = [];
    const unknown: string[] = [];
    for (const route of dashboardRoutes(t.gateway.context)) {
      const hasParams = route.url.includes(':');
      if (!hasParams && !route.operatorOnly) continue;
      const { url, missing } = fill(route, othersValue);
      if (missing.length) {
        unknown.push(`${route.method} ${route.url} (${missing.join(', ')})`);
        continue;
      }
      const answer = route.method === 'GET' ? await merchantUser.get(url) : await merchantUser.post(url, {});
      expect(answer.status, `${route.method} ${url}`).toBe(404);
      for (const id of Object.values(theirs)) expect(answer.html, `${route.method} ${url}`).not.toContain(id);
      exercised.push(`${route.method} ${route.url}`);
    }
    expect(unknown, 'routes whose parameters this test cannot fill: teach othersValue their names').toEqual([]);
    expect(exercised.length).toBeGreaterThanOrEqual(10);
    // Nothing was resent or changed for the other merchant.
    const theirJobsAfter = await db.selectFrom('jobs').select(['id', 'status', 'run_at']).where('kind', '=', 'notify').orderBy('id').execute();
    expect(theirJobsAfter).toEqual(theirJobsBefore);
    expect((await db.selectFrom('admins').select('disabled_at').where('id', '=', operatorId).executeTakeFirstOrThrow()).disabled_at).toBeNull();
  });

  it('shows no other merchant\'s record on any page without parameters', async () => {
    const pages = dashboardRoutes(t.gateway.context).filter((route) => route.method === 'GET' && !route.url.includes(':') && !route.operatorOnly);
    expect(pages.map((route) => route.url)).toContain('/dashboard/orders');
    for (const route of pages) {
      const page = await merchantUser.get(route.url);
      expect(page.status, route.url).toBeLessThan(500);
      for (const id of Object.values(theirs)) expect(page.html, route.url).not.toContain(id);
    }
    // Even when asked for the other merchant by name.
    const filtered = await merchantUser.get(`/dashboard/orders?merchant=${theirs.merchantNo}&q=${theirs.orderNo}`);
    expect(filtered.status).toBe(200);
    expect(filtered.html).not.toContain(theirs.tradeNo); // the order number is echoed in the search field; its tradeNo is not
    const payouts = await merchantUser.get(`/dashboard/payouts?merchant=${theirs.merchantNo}`);
    expect(payouts.html).not.toContain(theirs.payoutNo);
  });

  it('shows the merchant user its own orders and payouts, by the same routes', async () => {
    const orders = await merchantUser.get('/dashboard/orders');
    expect(orders.html).toContain(mine.orderNo);
    const filled = (url: string) => fill({ method: 'GET', url, operatorOnly: false }, (name) => mine[name]).url;
    for (const url of ['/dashboard/orders/:orderNo', '/dashboard/payouts/:payoutNo']) {
      const page = await merchantUser.get(filled(url));
      expect(page.status, url).toBe(200);
      for (const id of [theirs.orderNo, theirs.payoutNo]) expect(page.html).not.toContain(id);
    }
    const resend = await merchantUser.post(filled('/dashboard/orders/:orderNo/resend'));
    expect(resend.status).toBe(303);
    // No link to operator pages in its menu.
    expect(orders.html).not.toContain('href="/dashboard/merchants"');
    expect(orders.html).not.toContain('href="/dashboard/users"');
  });
});
