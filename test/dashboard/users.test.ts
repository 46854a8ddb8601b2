import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { hashPassword } from '../../src/secrets/password.ts';
import { upsertAdmin, upsertUser } from '../../src/store/console/admins.ts';

describeEachDatabase('console users', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let operatorId: number;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const ops = await createUser(t.gateway.context.db, { email: 'ops@example.com', role: 'operator' });
    operatorId = ops.id;
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(ops.email, ops.password);
  });
  afterAll(() => t.close());

  const oneTimePassword = (html: string) => /data-testid="one-time-password">([^<]+)</.exec(html)?.[1];

  /** Invites a merchant user from the users page and answers the one-time password it showed. */
  async function invite(email: string, merchantNo = t.merchant.merchantNo) {
    await operator.get('/dashboard/users');
    const posted = await operator.post('/dashboard/users', { email, role: 'merchant-admin', merchantNo });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/dashboard/users?notice=invited');
    const shown = await operator.get(posted.location!);
    const password = oneTimePassword(shown.html);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    return password!;
  }

  it('holds a merchant user to one merchant and an operator to none, in the database', async () => {
    const db = t.gateway.context.db;
    const hash = await hashPassword('whatever password');
    await expect(db.insertInto('admins').values({ email: 'a@example.com', password_hash: hash, role: 'merchant-admin' }).execute()).rejects.toThrow(/admins_merchant_user_has_merchant/);
    await expect(
      db.insertInto('admins').values({ email: 'b@example.com', password_hash: hash, role: 'operator', merchant_no: t.merchant.merchantNo }).execute(),
    ).rejects.toThrow(/admins_merchant_user_has_merchant/);
    await expect(db.insertInto('admins').values({ email: 'c@example.com', password_hash: hash, role: 'merchant-admin', merchant_no: '0000000000' }).execute()).rejects.toThrow();
    await expect(db.insertInto('admins').values({ email: 'd@example.com', password_hash: hash, role: 'merchant-viewer' }).execute()).rejects.toThrow(/admins_merchant_user_has_merchant/);
    // `merchant` is only a name the forms and the CLI accept; the table holds the roles themselves.
    await expect(
      db.insertInto('admins').values({ email: 'e@example.com', password_hash: hash, role: 'merchant' as 'merchant-admin', merchant_no: t.merchant.merchantNo }).execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('invites a merchant-viewer, and takes `merchant` as the name of merchant-admin', async () => {
    await operator.get('/dashboard/users');
    expect((await operator.post('/dashboard/users', { email: 'viewer@example.com', role: 'merchant-viewer', merchantNo: t.merchant.merchantNo })).status).toBe(303);
    expect((await operator.post('/dashboard/users', { email: 'legacy@example.com', role: 'merchant', merchantNo: t.merchant.merchantNo })).status).toBe(303);
    const roles = await t.gateway.context.db.selectFrom('admins').select(['email', 'role', 'merchant_no']).where('email', 'in', ['viewer@example.com', 'legacy@example.com']).orderBy('email').execute();
    expect(roles).toEqual([
      { email: 'legacy@example.com', role: 'merchant-admin', merchant_no: t.merchant.merchantNo },
      { email: 'viewer@example.com', role: 'merchant-viewer', merchant_no: t.merchant.merchantNo },
    ]);
    const page = await operator.get('/dashboard/users');
    expect(page.html).toMatch(/<td>viewer@example\.com<\/td>\s*<td>Merchant viewer<\/td>/);
    expect(page.html).toMatch(/<td>legacy@example\.com<\/td>\s*<td>Merchant admin<\/td>/);
    for (const role of ['operator', 'merchant-admin', 'merchant-viewer']) expect(page.html).toContain(`<option value="${role}"`);
  });

  it('keeps `admin create` an operator reset, and never turns a merchant user into an operator', async () => {
    const db = t.gateway.context.db;
    const first = await upsertAdmin(db, 'cli-ops@example.com', await hashPassword('one time 1'));
    expect(first.kind).toBe('created');
    expect(first.user.role).toBe('operator');
    const again = await upsertAdmin(db, 'cli-ops@example.com', await hashPassword('one time 2'));
    expect(again.kind).toBe('reset');
    expect(again.user.session_generation).toBe(first.user.session_generation + 1);
    const shopUser = await upsertUser(db, { email: 'cli-shop@example.com', role: 'merchant-admin', merchantNo: t.merchant.merchantNo, passwordHash: 'x' });
    expect(shopUser.kind).toBe('created');
    const clash = await upsertAdmin(db, 'cli-shop@example.com', 'y');
    expect(clash.kind).toBe('other-role');
    const row = await db.selectFrom('admins').selectAll().where('email', '=', 'cli-shop@example.com').executeTakeFirstOrThrow();
    expect([row.role, row.merchant_no, row.password_hash]).toEqual(['merchant-admin', t.merchant.merchantNo, 'x']);
  });

  it('invites a merchant user: the one-time password is shown once, must be changed, and the user sees its merchant only', async () => {
    const password = await invite('Shop.Owner@example.com');
    const reload = await operator.get('/dashboard/users?notice=invited');
    expect(oneTimePassword(reload.html)).toBeUndefined();
    expect(reload.html).toContain('shop.owner@example.com');

    const shop = new DashboardClient(t.gateway.app);
    const login = await shop.logIn('shop.owner@example.com', password);
    expect(login.status).toBe(303);
    expect((await shop.get('/dashboard/orders')).location).toBe('/dashboard/password');
    await shop.get('/dashboard/password');
    const changed = await shop.post('/dashboard/password', { current: password, password: 'a brand new password', repeat: 'a brand new password' });
    expect(changed.status).toBe(303);
    const orders = await shop.get('/dashboard/orders');
    expect(orders.status).toBe(200);
    expect((await shop.get('/dashboard/users')).status).toBe(404);
  });

  it('refuses an invite without a merchant, for an unknown merchant, or for an email already in use', async () => {
    await operator.get('/dashboard/users');
    for (const form of [
      { email: 'x@example.com', role: 'merchant-admin', merchantNo: '' },
      { email: 'x@example.com', role: 'merchant-admin', merchantNo: '9999999999' },
      { email: 'x@example.com', role: 'boss', merchantNo: '' },
      { email: 'not an email', role: 'operator', merchantNo: '' },
      { email: 'ops@example.com', role: 'operator', merchantNo: '' },
    ]) {
      const answer = await operator.post('/dashboard/users', form);
      expect(answer.status, JSON.stringify(form)).toBe(400);
      expect(answer.html).toMatch(/class="notice error"/);
    }
    expect(await t.gateway.context.db.selectFrom('admins').select('id').where('email', '=', 'x@example.com').executeTakeFirst()).toBeUndefined();
  });

  it('disables a user after a confirmation page: its session ends at once and it cannot sign in until enabled', async () => {
    const password = await invite('to.disable@example.com');
    const victim = new DashboardClient(t.gateway.app);
    await victim.logIn('to.disable@example.com', password);
    expect((await victim.get('/dashboard/password')).status).toBe(200);
    const { id } = await t.gateway.context.db.selectFrom('admins').select('id').where('email', '=', 'to.disable@example.com').executeTakeFirstOrThrow();

    const confirm = await operator.get(`/dashboard/users/${id}/disable`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(`action="/dashboard/users/${id}/disable"`);
    expect(confirm.html).toContain('Disable user');
    const disabled = await operator.post(`/dashboard/users/${id}/disable`);
    expect(disabled.status).toBe(303);
    expect(disabled.location).toBe('/dashboard/users?notice=disabled');
    // A second post (a reload of the form) changes nothing.
    expect((await operator.post(`/dashboard/users/${id}/disable`)).location).toBe('/dashboard/users?notice=unchanged');

    expect((await victim.get('/dashboard/password')).location).toBe('/dashboard/login');
    const refused = await new DashboardClient(t.gateway.app).logIn('to.disable@example.com', password);
    expect(refused.status).toBe(401);
    expect(refused.html).toContain('Email or password is wrong.');

    expect((await operator.post(`/dashboard/users/${id}/enable`)).location).toBe('/dashboard/users?notice=enabled');
    expect((await new DashboardClient(t.gateway.app).logIn('to.disable@example.com', password)).status).toBe(303);
  });

  it('resets another user\'s password after a confirmation: shown once, its sessions end, the old password stops working', async () => {
    const first = await invite('to.reset@example.com');
    const user = new DashboardClient(t.gateway.app);
    await user.logIn('to.reset@example.com', first);
    const { id } = await t.gateway.context.db.selectFrom('admins').select('id').where('email', '=', 'to.reset@example.com').executeTakeFirstOrThrow();
    expect((await operator.get(`/dashboard/users/${id}/reset-password`)).html).toContain('Reset password');
    const reset = await operator.post(`/dashboard/users/${id}/reset-password`);
    expect(reset.status).toBe(303);
    const second = oneTimePassword((await operator.get(reset.location!)).html);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await user.get('/dashboard/password')).location).toBe('/dashboard/login');
    expect((await new DashboardClient(t.gateway.app).logIn('to.reset@example.com', first)).status).toBe(401);
    expect((await new DashboardClient(t.gateway.app).logIn('to.reset@example.com', second!)).status).toBe(303);
  });

  it('never lets an operator disable or reset itself from the users page', async () => {
    for (const url of [`/dashboard/users/${operatorId}/disable`, `/dashboard/users/${operatorId}/reset-password`]) {
      expect((await operator.get(url)).status).toBe(404);
      expect((await operator.post(url)).status).toBe(404);
    }
    expect((await operator.get('/dashboard/orders')).status).toBe(200);
  });
});
