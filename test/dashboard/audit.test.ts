import { afterAll, beforeAll, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { dashboardRoutes } from '../../src/dashboard/route-table.ts';
import { recordAudit } from '../../src/store/console/audit-log.ts';

describeEachDatabase('console audit log', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let ops: { id: number; email: string; password: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const order = await fundMerchant(t, t.merchant, '40.00');
    const payout = await t.post('/v1/payout', payoutFields({ amount: '5.00' }), { merchant: t.merchant });
    const open = await t.post('/v1/checkout', checkoutFields({ amount: '3.00' }));
    const merchantsOpen = await t.post('/v1/checkout', checkoutFields({ amount: '4.00' }));
    const notify = await t.gateway.context.db.selectFrom('jobs').select('id').where('order_no', '=', order.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();
    Object.assign(ids, {
      orderNo: order.platFormTradeNo,
      openOrderNo: open.body.data.platFormTradeNo,
      merchantsOpenOrderNo: merchantsOpen.body.data.platFormTradeNo,
      notifyId: notify.id,
      payoutNo: payout.body.data.platFormTradeNo,
      merchantNo: t.merchant.merchantNo,
    });
    // Saved cards of one customer: one for the operator to delete, one for a merchant-admin.
    for (const name of ['cardToken', 'merchantsCardToken']) {
      const saving = await CashierClient.forNewOrder(t, { customerId: 'cus-audit', saveCard: 'required' });
      await saving.open();
      await saving.pay(name === 'cardToken' ? '4242424242424242' : '5555555555554444');
      ids[name] = (await t.post('/v1/checkout/query', { tradeNo: saving.tradeNo })).body.data.cardToken;
    }
    ops = await createUser(t.gateway.context.db, { email: 'ops@example.com', role: 'operator' });
    operator = new DashboardClient(t.gateway.app, '10.20.0.1');
    await operator.logIn(ops.email, ops.password);
  });
  afterAll(() => t.close());

  const rows = () => t.gateway.context.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  it('records every login try: success, wrong password, unknown email (anonymous), and logout', async () => {
    const shop = await createUser(t.gateway.context.db, { email: 'shop@example.com', role: 'merchant-admin', merchantNo: t.merchant.merchantNo });
    const start = (await rows()).length;
    const browser = new DashboardClient(t.gateway.app, '10.20.0.2');
    await browser.logIn('nobody@example.com', 'whatever password');
    await browser.logIn(shop.email, 'wrong password');
    await browser.logIn(shop.email, shop.password);
    await browser.post('/dashboard/logout');
    const logged = (await rows()).slice(start).map((row) => [row.action, row.actor_email, row.actor_role, row.merchant_no, row.outcome, row.ip]);
    expect(logged).toEqual([
      ['login', 'nobody@example.com', 'anonymous', null, 'refused', '10.20.0.2'],
      ['login', 'shop@example.com', 'merchant-admin', t.merchant.merchantNo, 'refused', '10.20.0.2'],
      ['login', 'shop@example.com', 'merchant-admin', t.merchant.merchantNo, 'ok', '10.20.0.2'],
      ['logout', 'shop@example.com', 'merchant-admin', t.merchant.merchantNo, 'ok', '10.20.0.2'],
    ]);
    const text = JSON.stringify(await rows());
    expect(text).not.toContain('wrong password');
    expect(text).not.toContain(shop.password);
  });

  it('leaves an audit row for every POST route of the dashboard', async () => {
    const db = t.gateway.context.db;
    const target = await createUser(db, { email: 'target@example.com', role: 'merchant-admin', merchantNo: t.merchant.merchantNo });
    const posts = dashboardRoutes(t.gateway.context).filter((route) => route.method === 'POST');
    /**
     * A request that performs each action, by route. A POST route not named here fails the test:
     * a new console action must be added, with the audit row it leaves.
     */
    const requests: Record<string, () => Promise<{ url: string; form: Record<string, string>; client?: DashboardClient }>> = {
      '/dashboard/login': async () => ({ url: '/dashboard/login', form: { email: ops.email, password: ops.password }, client: await fresh() }),
      '/dashboard/login/code': async () => {
        const user = await createUser(db, { email: `code${Date.now()}@example.com`, role: 'operator' });
        const secret = new Secret({ size: 20 });
        await db.updateTable('admins').set({ totp_secret_sealed: t.gateway.context.masterKey.seal(secret.base32) }).where('id', '=', user.id).execute();
        const client = await fresh();
        await client.logIn(user.email, user.password);
        return { url: '/dashboard/login/code', form: { code: TOTP.generate({ secret, timestamp: Date.now() }) }, client };
      },
      '/dashboard/logout': async () => {
        // Its own user: a logout ends every session of the user who logs out.
        const user = await createUser(db, { email: `out${Date.now()}@example.com`, role: 'operator' });
        const client = await fresh();
        await client.logIn(user.email, user.password);
        await client.get('/dashboard/orders');
        return { url: '/dashboard/logout', form: {}, client };
      },
      '/dashboard/password': async () => {
        const user = await createUser(db, { email: `pw${Date.now()}@example.com`, role: 'operator', password: 'first password 123' });
        const client = await fresh();
        await client.logIn(user.email, user.password);
        await client.get('/dashboard/password');
        return { url: '/dashboard/password', form: { current: user.password, password: 'second password 456', repeat: 'second password 456' }, client };
      },
      '/dashboard/orders/:orderNo/resend': async () => ({ url: `/dashboard/orders/${ids.orderNo}/resend`, form: {} }),
      '/dashboard/payouts/:payoutNo/resend': async () => ({ url: `/dashboard/payouts/${ids.payoutNo}/resend`, form: {} }),
      '/dashboard/merchants': async () => ({ url: '/dashboard/merchants', form: { name: 'Audited Shop', feeBps: '250', statusSet: 'family', payoutFee: '0.30' } }),
      '/dashboard/merchants/:merchantNo/status': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/status`, form: { status: 'active' } }),
      '/dashboard/merchants/:merchantNo/acquirers': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/acquirers`, form: { acquirers: '' } }),
      '/dashboard/merchants/:merchantNo/status-set': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/status-set`, form: { statusSet: 'extended' } }),
      '/dashboard/merchants/:merchantNo/payout-fee': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/payout-fee`, form: { payoutFee: '0.45' } }),
      '/dashboard/merchants/:merchantNo/dispute-fee': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/dispute-fee`, form: { disputeFee: '12.50' } }),
      '/dashboard/merchants/:merchantNo/rotate-secret': async () => ({ url: `/dashboard/merchants/${ids.merchantNo}/rotate-secret`, form: {} }),
      '/dashboard/merchants/:merchantNo/settings': async () => ({
        url: `/dashboard/merchants/${ids.merchantNo}/settings`,
        form: { feeBps: '310', saltPlacement: 'prefix', minAmount: '1.00', maxAmount: '9000.00', requireHmac: '1' },
      }),
      '/dashboard/users': async () => ({ url: '/dashboard/users', form: { email: `invited${Date.now()}@example.com`, role: 'merchant-admin', merchantNo: ids.merchantNo! } }),
      '/dashboard/users/:userId/disable': async () => ({ url: `/dashboard/users/${target.id}/disable`, form: {} }),
      '/dashboard/users/:userId/enable': async () => ({ url: `/dashboard/users/${target.id}/enable`, form: {} }),
      '/dashboard/users/:userId/reset-password': async () => ({ url: `/dashboard/users/${target.id}/reset-password`, form: {} }),
      '/dashboard/orders/:orderNo/refund': () => confirmed(`/dashboard/orders/${ids.orderNo}/refund?amount=1.00&reason=audit`),
      '/dashboard/orders/:orderNo/close': () => confirmed(`/dashboard/orders/${ids.openOrderNo}/close`),
      '/dashboard/notifications/:notifyId/resend': async () => ({ url: `/dashboard/notifications/${ids.notifyId}/resend`, form: {} }),
      '/dashboard/merchants/:merchantNo/customers/:customerId/cards/:cardToken/delete': () => confirmed(`/dashboard/merchants/${ids.merchantNo}/customers/cus-audit/cards/${ids.cardToken}/delete`),
      '/dashboard/merchants/:merchantNo/rotate-secret/confirmed': () => confirmed(`/dashboard/merchants/${ids.merchantNo}/rotate-secret`),
      '/dashboard/merchants/:merchantNo/integration': async () => {
        const now = await db.selectFrom('merchants').select(['salt_placement', 'require_hmac', 'status_set']).where('merchant_no', '=', ids.merchantNo!).executeTakeFirstOrThrow();
        const flipped = now.salt_placement === 'suffix' ? 'prefix' : 'suffix';
        return confirmed(`/dashboard/merchants/${ids.merchantNo}/integration?saltPlacement=${flipped}&requireHmac=${now.require_hmac ? '1' : '0'}&statusSet=${now.status_set}`);
      },
      '/dashboard/totp/enrol': async () => {
        const page = await operator.get('/dashboard/totp');
        const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.html)![1]!;
        const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!;
        return { url: '/dashboard/totp/enrol', form: { pending, code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() }) } };
      },
      '/dashboard/totp/disable': async () => {
        const row = await db.selectFrom('admins').select('totp_secret_sealed').where('id', '=', ops.id).executeTakeFirstOrThrow();
        const secret = Secret.fromBase32(t.gateway.context.masterKey.open(row.totp_secret_sealed!));
        return { url: '/dashboard/totp/disable', form: { code: TOTP.generate({ secret, timestamp: Date.now() + 30_000 }) } };
      },
    };
    /** The form a confirmation page posts, with its hidden fields (the CSRF token is the client's). */
    async function confirmed(pageUrl: string) {
      const page = await operator.get(pageUrl);
      const form = /<form class="actions confirm" method="post" action="([^"]+)">(.*?)<\/form>/s.exec(page.html);
      expect(form, `${pageUrl}: ${page.html.slice(0, 300)}`).not.toBeNull();
      const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
      const fields = Object.fromEntries(
        [...form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].filter(([, name]) => name !== '_csrf').map(([, name, value]) => [name!, unescape(value!)]),
      );
      return { url: unescape(form![1]!), form: fields };
    }
    async function fresh() {
      const client = new DashboardClient(t.gateway.app, '10.20.0.3');
      await client.get('/dashboard/login');
      return client;
    }
    // Enrolment before its removal; the rest in any order.
    const order = (url: string) => (url === '/dashboard/totp/disable' ? 1 : 0);
    const missing = posts.filter((route) => !requests[route.url]).map((route) => route.url);
    expect(missing, 'POST routes this test does not know how to perform: add them to `requests`').toEqual([]);
    for (const route of [...posts].sort((a, b) => order(a.url) - order(b.url))) {
      const { url, form, client = operator } = await requests[route.url]!();
      if (client === operator) await operator.get('/dashboard/orders');
      const before = (await rows()).length;
      const answer = await client.post(url, form);
      expect(answer.status, `POST ${url}: ${answer.html.slice(0, 200)}`).toBeLessThan(400);
      const added = (await rows()).slice(before);
      expect(added.length, `POST ${route.url} left no audit row`).toBeGreaterThanOrEqual(1);
      expect(added.every((row) => row.outcome === 'ok'), `POST ${route.url}: ${JSON.stringify(added)}`).toBe(true);
    }
  });

  it('records the actions of a merchant-admin with its role, and every action a merchant-viewer tries as refused', async () => {
    const db = t.gateway.context.db;
    const [admin, viewer] = (await Promise.all(
      (['merchant-admin', 'merchant-viewer'] as const).map(async (role) => {
        const user = await createUser(db, { email: `${role}@example.com`, role, merchantNo: t.merchant.merchantNo });
        const client = new DashboardClient(t.gateway.app, '10.20.0.4');
        await client.logIn(user.email, user.password);
        return client;
      }),
    )) as [DashboardClient, DashboardClient];
    /** The merchant's own actions, by route; a merchant user's POST route not named here fails the test. */
    const confirmedBy = async (client: DashboardClient, pageUrl: string) => {
      const page = await client.get(pageUrl);
      const form = /<form class="actions confirm" method="post" action="([^"]+)">(.*?)<\/form>/s.exec(page.html);
      expect(form, pageUrl).not.toBeNull();
      return { url: form![1]!.replaceAll('&amp;', '&'), form: Object.fromEntries([...form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].filter(([, name]) => name !== '_csrf').map(([, name, value]) => [name!, value!])) };
    };
    const requests: Record<string, (client: DashboardClient) => Promise<{ url: string; form: Record<string, string> }>> = {
      '/dashboard/orders/:orderNo/resend': async () => ({ url: `/dashboard/orders/${ids.orderNo}/resend`, form: {} }),
      '/dashboard/payouts/:payoutNo/resend': async () => ({ url: `/dashboard/payouts/${ids.payoutNo}/resend`, form: {} }),
      '/dashboard/notifications/:notifyId/resend': async () => ({ url: `/dashboard/notifications/${ids.notifyId}/resend`, form: {} }),
      '/dashboard/orders/:orderNo/refund': (client) => confirmedBy(client, `/dashboard/orders/${ids.orderNo}/refund?amount=1.00&reason=admin`),
      '/dashboard/orders/:orderNo/close': (client) => confirmedBy(client, `/dashboard/orders/${ids.merchantsOpenOrderNo}/close`),
      '/dashboard/merchants/:merchantNo/customers/:customerId/cards/:cardToken/delete': (client) => confirmedBy(client, `/dashboard/merchants/${ids.merchantNo}/customers/cus-audit/cards/${ids.merchantsCardToken}/delete`),
      '/dashboard/merchants/:merchantNo/rotate-secret/confirmed': (client) => confirmedBy(client, `/dashboard/merchants/${ids.merchantNo}/rotate-secret`),
      '/dashboard/merchants/:merchantNo/integration': async (client) => {
        const now = await db.selectFrom('merchants').select(['salt_placement', 'require_hmac', 'status_set']).where('merchant_no', '=', ids.merchantNo!).executeTakeFirstOrThrow();
        return confirmedBy(client, `/dashboard/merchants/${ids.merchantNo}/integration?saltPlacement=${now.salt_placement === 'suffix' ? 'prefix' : 'suffix'}&requireHmac=${now.require_hmac ? '1' : '0'}&statusSet=${now.status_set}`);
      },
    };
    const actions = dashboardRoutes(t.gateway.context).filter((route) => route.method === 'POST' && !route.operatorOnly && !route.ownAccount);
    expect(actions.filter((route) => !requests[route.url]).map((route) => route.url), 'merchant actions this test does not know how to perform').toEqual([]);
    for (const route of actions) {
      await admin.get('/dashboard/orders');
      const { url, form } = await requests[route.url]!(admin);
      const before = (await rows()).length;
      // The viewer tries the very request the admin is about to make, and is refused.
      await viewer.get('/dashboard/orders');
      expect((await viewer.post(url, form)).status, `viewer POST ${url}`).toBe(403);
      const answer = await admin.post(url, form);
      expect(answer.status, `POST ${url}: ${answer.html.slice(0, 200)}`).toBe(303);
      const added = (await rows()).slice(before).map((row) => [row.actor_email, row.actor_role, row.merchant_no, row.outcome, row.action === 'role.refused' ? row.target : 'action']);
      expect(added, route.url).toEqual([
        ['merchant-viewer@example.com', 'merchant-viewer', ids.merchantNo, 'refused', `POST ${route.url}`],
        ['merchant-admin@example.com', 'merchant-admin', ids.merchantNo, 'ok', 'action'],
      ]);
    }
  });

  it('records what a setting was before and after, and never a secret', async () => {
    const all = await rows();
    const settings = all.find((row) => row.action === 'merchant.update')!;
    // Only what changed, on both sides (the integration page may have set the salt placement first).
    expect(settings.after_value).toMatchObject({ feeBps: 310, requireHmac: true, minAmountCents: 100, maxAmountCents: 900000 });
    expect(Object.keys(settings.before_value as object).sort()).toEqual(Object.keys(settings.after_value as object).sort());
    expect(settings.before_value).toMatchObject({ feeBps: 290, requireHmac: false });
    const fee = all.find((row) => row.action === 'merchant.payout-fee')!;
    expect(fee.after_value).toEqual({ payoutFeeCents: 45 });
    const disputeFee = all.find((row) => row.action === 'merchant.dispute-fee')!;
    expect(disputeFee.after_value).toEqual({ disputeFeeCents: 1250 });
    const rotated = all.find((row) => row.action === 'merchant.rotate-secret')!;
    expect([rotated.before_value, rotated.after_value, rotated.target, rotated.actor_email]).toEqual([null, null, ids.merchantNo, ops.email]);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/secret_sealed|password_hash|appSecret|v1\.[A-Za-z0-9_-]+\./);
  });

  it('shows the log with filters and keyset pages; a merchant user sees only its merchant\'s rows; nothing can be changed', async () => {
    const db = t.gateway.context.db;
    for (let i = 0; i < 60; i += 1) {
      await recordAudit(db, { actorId: null, actorEmail: 'bulk@example.com', actorRole: 'operator', merchantNo: i % 2 ? ids.merchantNo! : '0000000001', ip: '10.0.0.9', action: 'bulk.test', target: `T${i}`, outcome: 'ok' }, new Date(Date.UTC(2031, 0, 1 + (i % 3))));
    }
    const first = await operator.get('/dashboard/audit?action=bulk.test');
    expect(first.status).toBe(200);
    expect(first.html.match(/<td class="mono">bulk\.test<\/td>/g)).toHaveLength(50);
    const next = /href="\/dashboard\/audit\?([^"]+)" rel="next"/.exec(first.html)![1]!.replaceAll('&amp;', '&');
    const second = await operator.get(`/dashboard/audit?${next}`);
    expect(second.html.match(/<td class="mono">bulk\.test<\/td>/g)).toHaveLength(10);
    expect(second.html).not.toContain('rel="next"');
    const targets = (html: string) => [...html.matchAll(/<td>(T[0-9]+)<\/td>/g)].map((m) => m[1]);
    expect(new Set([...targets(first.html), ...targets(second.html)]).size).toBe(60);

    const oneDay = await operator.get('/dashboard/audit?action=bulk.test&from=2031-01-02&to=2031-01-02');
    expect(oneDay.html.match(/<td class="mono">bulk\.test<\/td>/g)).toHaveLength(20);
    const byActor = await operator.get(`/dashboard/audit?actor=${encodeURIComponent(ops.email)}`);
    expect(byActor.html).toContain('merchant.update');
    expect(byActor.html).not.toContain('bulk@example.com');

    const shopUser = await createUser(db, { email: 'reader@example.com', role: 'merchant-admin', merchantNo: ids.merchantNo! });
    const shop = new DashboardClient(t.gateway.app);
    await shop.logIn(shopUser.email, shopUser.password);
    const theirs = await shop.get('/dashboard/audit?action=bulk.test');
    expect(theirs.html.match(/<td class="mono">bulk\.test<\/td>/g)).toHaveLength(30);
    expect(theirs.html).not.toContain('0000000001');
    const all = await shop.get('/dashboard/audit');
    expect(all.html).not.toContain('merchant.create'); // another merchant's creation

    // Only the logout form and the filter (GET) on the page: nothing posts a change.
    expect(first.html.match(/method="post"/g)).toHaveLength(1);
    await expect(db.updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow(/never changed/);
  });
});
