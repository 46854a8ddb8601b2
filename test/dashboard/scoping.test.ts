import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { dashboardRoutes, type DashboardRoute } from '../../src/dashboard/route-table.ts';

/**
 * A merchant user, admin or viewer, sees its own merchant and nothing else; a viewer changes nothing. The routes are read from the
 * dashboard itself (route-table.ts), so a route added later is tried too, or fails this test
 * until it is taught what its parameters are.
 */
describeEachDatabase('console scoping of a merchant user', (kind) => {
  let t: TestGateway;
  let own: TestMerchant;
  let other: TestMerchant;
  let merchantUser: DashboardClient;
  let viewer: DashboardClient;
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
      const customerId = `cus-${merchant.merchantNo}`;
      const saving = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' }, merchant);
      await saving.open();
      await saving.pay('4242424242424242');
      const cardToken = (await t.post('/v1/checkout/query', { tradeNo: saving.tradeNo }, { merchant })).body.data.cardToken;
      Object.assign(ids, { orderNo: order.platFormTradeNo, tradeNo: order.tradeNo, payoutNo: payout.body.data.platFormTradeNo, merchantNo: merchant.merchantNo, notifyId: notify.id, customerId, cardToken });
    }
    const db = t.gateway.context.db;
    operatorId = (await createUser(db, { email: 'ops@example.com', role: 'operator' })).id;
    const user = await createUser(db, { email: 'shop@example.com', role: 'merchant-admin', merchantNo: own.merchantNo });
    merchantUser = new DashboardClient(t.gateway.app);
    expect((await merchantUser.logIn(user.email, user.password)).status).toBe(303);
    const reader = await createUser(db, { email: 'reader@example.com', role: 'merchant-viewer', merchantNo: own.merchantNo });
    viewer = new DashboardClient(t.gateway.app);
    expect((await viewer.logIn(reader.email, reader.password)).status).toBe(303);
  });
  afterAll(() => t.close());

  /** Another merchant's value for each route parameter; a parameter not named here fails the test. */
  const othersValue = (name: string): string | undefined =>
    ({ orderNo: theirs.orderNo, payoutNo: theirs.payoutNo, merchantNo: theirs.merchantNo, notifyId: theirs.notifyId, userId: String(operatorId), customerId: theirs.customerId, cardToken: theirs.cardToken })[name];

  const fill = (route: DashboardRoute, values: (name: string) => string | undefined) => {
    const missing: string[] = [];
    const url = route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => values(name) ?? (missing.push(name), `:${name}`));
    return { url, missing };
  };

  const fillMine = (url: string) => fill({ method: 'GET', url, operatorOnly: false, ownAccount: false, confirmsAction: false }, (name) => mine[name]).url;

  it('has the dashboard routes to walk', () => {
    const routes = dashboardRoutes(t.gateway.context);
    expect(routes.some((route) => route.url === '/dashboard/orders/:orderNo' && !route.operatorOnly)).toBe(true);
    expect(routes.some((route) => route.url === '/dashboard/merchants' && route.operatorOnly)).toBe(true);
    expect(routes.some((route) => route.url === '/dashboard/users/:userId/disable' && route.method === 'POST' && route.operatorOnly)).toBe(true);
  });

  it.each(['merchant-admin', 'merchant-viewer'] as const)('answers a %s 404 to every route with another merchant\'s ids (a viewer 403 to an action), and 404 to every operator-only route', async (role) => {
    const client = role === 'merchant-admin' ? merchantUser : viewer;
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
      const answer = route.method === 'GET' ? await client.get(url) : await client.post(url, {});
      const refusedAction = role === 'merchant-viewer' && !route.operatorOnly && !route.ownAccount && (route.method === 'POST' || route.confirmsAction);
      expect(answer.status, `${route.method} ${url}`).toBe(refusedAction ? 403 : 404);
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
    for (const client of [merchantUser, viewer]) {
      for (const route of pages) {
        const page = await client.get(route.url);
        expect(page.status, route.url).toBeLessThan(500);
        for (const id of Object.values(theirs)) expect(page.html, route.url).not.toContain(id);
      }
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
    const filled = (url: string) => fillMine(url);
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

  it('lets a merchant-viewer read and export its own merchant, and refuses it every action: 403, a refused audit row, nothing changed', async () => {
    const db = t.gateway.context.db;
    const routes = dashboardRoutes(t.gateway.context);
    // Its own session, password and second factor are the only POSTs a viewer may use.
    expect(routes.filter((route) => route.ownAccount).map((route) => `${route.method} ${route.url}`).sort()).toEqual([
      'POST /dashboard/login',
      'POST /dashboard/login/code',
      'POST /dashboard/logout',
      'POST /dashboard/password',
      'POST /dashboard/totp/disable',
      'POST /dashboard/totp/enrol',
    ]);
    const snapshot = async () => ({
      refunds: await db.selectFrom('refunds').select(['id', 'status']).orderBy('id').execute(),
      savedCards: await db.selectFrom('saved_cards').select(['card_token', 'deleted_at']).orderBy('card_token').execute(),
      jobs: await db.selectFrom('jobs').select(['id', 'status', 'run_at']).orderBy('id').execute(),
      orders: await db.selectFrom('orders').select(['plat_form_trade_no', 'status']).orderBy('plat_form_trade_no').execute(),
      merchant: await db.selectFrom('merchants').select(['app_secret_sealed', 'salt_placement', 'require_hmac', 'status_set']).where('merchant_no', '=', own.merchantNo).executeTakeFirstOrThrow(),
    });
    const before = await snapshot();
    const auditBefore = (await db.selectFrom('audit_log').select('id').execute()).length;
    const actions = routes.filter((route) => !route.operatorOnly && !route.ownAccount && (route.method === 'POST' || route.confirmsAction));
    expect(actions.map((route) => route.url)).toEqual(expect.arrayContaining(['/dashboard/orders/:orderNo/refund', '/dashboard/orders/:orderNo/close', '/dashboard/merchants/:merchantNo/rotate-secret/confirmed', '/dashboard/merchants/:merchantNo/integration']));
    await viewer.get('/dashboard/orders');
    for (const route of actions) {
      const url = fillMine(route.url);
      const form = { amount: '1.00', refundNo: 'viewer-refund', version: 'x', saltPlacement: 'prefix', requireHmac: '1', statusSet: 'family' };
      const answer = route.method === 'GET' ? await viewer.get(`${url}?amount=1.00`) : await viewer.post(url, form);
      expect(answer.status, `${route.method} ${url}`).toBe(403);
      expect(answer.html).toMatch(/read and export only/);
    }
    expect(await snapshot()).toEqual(before);
    const refusals = (await db.selectFrom('audit_log').selectAll().orderBy('id').execute()).slice(auditBefore);
    expect(refusals.map((row) => [row.action, row.actor_role, row.merchant_no, row.outcome])).toEqual(actions.map(() => ['role.refused', 'merchant-viewer', own.merchantNo, 'refused']));
    expect(refusals.map((row) => row.target)).toEqual(actions.map((route) => `${route.method} ${route.url}`));

    // It reads and exports: the list, the order, the CSV, its merchant's page and statement, without a single action on them.
    const order = await viewer.get(fillMine('/dashboard/orders/:orderNo'));
    expect(order.status).toBe(200);
    expect(order.html).toContain(mine.orderNo);
    expect(order.html).not.toMatch(/action="[^"]*\/(refund|close|resend)"/);
    expect((await viewer.get('/dashboard/orders.csv')).html).toContain(mine.orderNo);
    const account = await viewer.get('/dashboard/account');
    expect(account.status).toBe(200);
    expect(account.html).not.toContain('rotate-secret');
    expect(account.html).not.toContain('/integration');
    expect((await viewer.get(fillMine('/dashboard/merchants/:merchantNo/statement.csv'))).status).toBe(200);
    expect((await viewer.get('/dashboard/notifications')).html).not.toContain('/resend');
    expect((await viewer.get(fillMine('/dashboard/payouts/:payoutNo'))).html).not.toContain('/resend');
    // A merchant-admin of the same merchant has the actions on the same page.
    expect((await merchantUser.get(fillMine('/dashboard/orders/:orderNo'))).html).toMatch(/action="[^"]*\/refund"/);
  });
});
