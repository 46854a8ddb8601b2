import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { pruneLoginFailures } from '../../src/store/admins.ts';

describeEachDatabase('dashboard login', (kind) => {
  let t: TestGateway;
  let admin: { email: string; password: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    admin = await createAdmin(t.gateway.context.db);
  });
  afterAll(() => t.close());

  const client = () => new DashboardClient(t.gateway.app);

  it('sends every page to the login form when nobody is signed in, and refuses actions', async () => {
    for (const url of ['/dashboard', '/dashboard/orders', '/dashboard/merchants', '/dashboard/orders/0123456789abcdef']) {
      const page = await client().get(url);
      expect(page.status, url).toBe(303);
      expect(page.location).toBe('/dashboard/login');
    }
    const browser = client();
    await browser.get('/dashboard/login');
    const resend = await browser.post('/dashboard/orders/0123456789abcdef/resend');
    expect(resend.status).toBe(401);
  });

  it('forgets failed-login counters older than the given time, and keeps recent ones', async () => {
    const db = t.gateway.context.db;
    await db.insertInto('login_failures').values([
      { email: 'old@example.com', failures: 3, first_failed_at: new Date(Date.now() - 2 * 86_400_000) },
      { email: 'recent@example.com', failures: 2, first_failed_at: new Date() },
    ]).execute();
    await pruneLoginFailures(db, new Date(Date.now() - 86_400_000));
    const left = await db.selectFrom('login_failures').select('email').where('email', 'in', ['old@example.com', 'recent@example.com']).execute();
    expect(left.map((row) => row.email)).toEqual(['recent@example.com']);
  });

  it('shows a login form with labelled fields, a CSRF token and a strict CSP', async () => {
    const page = await client().get('/dashboard/login');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<label for="email">Email/);
    expect(page.html).toMatch(/<label for="password">Password/);
    expect(page.html).toMatch(/name="_csrf" value="[^"]+"/);
    expect(page.html).not.toMatch(/<script/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self'/);
  });

  it('refuses a wrong password and an unknown email with the same generic message, and sets no session', async () => {
    for (const [email, password] of [
      [admin.email, 'wrong password'],
      ['nobody@example.com', admin.password],
    ] as const) {
      const browser = client();
      const page = await browser.logIn(email, password);
      expect(page.status).toBe(401);
      expect(page.html).toContain('Email or password is wrong.');
      expect(browser.cookies.has('payrail_session')).toBe(false);
    }
  });

  it('signs in with the right password: an HttpOnly, SameSite=Strict session cookie scoped to /dashboard', async () => {
    const browser = client();
    const login = await browser.logIn(admin.email.toUpperCase(), admin.password);
    expect(login.status).toBe(303);
    expect(login.location).toBe('/dashboard/orders');
    const cookie = [login.headers['set-cookie']].flat().map(String).find((line) => line.startsWith('payrail_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/); // only when PAYRAIL_ENV=production
    const orders = await browser.get('/dashboard/orders');
    expect(orders.status).toBe(200);
    expect(orders.html).toContain(admin.email);
  });

  it('refuses a login form posted without its CSRF token', async () => {
    const browser = client();
    await browser.get('/dashboard/login');
    const page = await browser.post('/dashboard/login', { _csrf: '', email: admin.email, password: admin.password });
    expect(page.status).toBe(403);
    expect(browser.cookies.has('payrail_session')).toBe(false);
  });

  it('refuses a session cookie that was tampered with', async () => {
    const browser = client();
    await browser.logIn(admin.email, admin.password);
    const [id, expires, mac] = browser.cookies.get('payrail_session')!.split('.');
    for (const forged of [`${Number(id) + 1}.${expires}.${mac}`, `${id}.${Number(expires) + 86_400_000}.${mac}`, `${id}.${expires}.${mac!.slice(0, -2)}AA`]) {
      browser.cookies.set('payrail_session', forged);
      const page = await browser.get('/dashboard/orders');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/dashboard/login');
    }
  });

  it('logs out: the cookie is cleared', async () => {
    const browser = client();
    await browser.logIn(admin.email, admin.password);
    await browser.get('/dashboard/orders');
    const out = await browser.post('/dashboard/logout');
    expect(out.status).toBe(303);
    expect(browser.cookies.has('payrail_session')).toBe(false);
    expect((await browser.get('/dashboard/orders')).status).toBe(303);
  });

  it('ends every session of an operator whose password is reset', async () => {
    const other = await createAdmin(t.gateway.context.db, 'reset@example.com', 'first password');
    const browser = client();
    await browser.logIn(other.email, other.password);
    expect((await browser.get('/dashboard/orders')).status).toBe(200);
    await t.gateway.context.db.updateTable('admins').set({ password_hash: 'scrypt$x$y' }).where('email', '=', other.email).execute();
    expect((await browser.get('/dashboard/orders')).status).toBe(303);
  });

  it('locks an email out after five wrong passwords, even for the right one, until the window passes', async () => {
    const locked = await createAdmin(t.gateway.context.db, 'guessed@example.com', 'the real one');
    for (let i = 0; i < 5; i += 1) expect((await client().logIn(locked.email, `guess ${i}`)).status).toBe(401);
    const page = await client().logIn(locked.email, locked.password);
    expect(page.status).toBe(429);
    expect(page.html).toContain('Too many failed attempts');
    await t.gateway.context.db.updateTable('login_failures').set({ first_failed_at: new Date(Date.now() - 16 * 60_000) }).execute();
    expect((await client().logIn(locked.email, locked.password)).status).toBe(303);
    await expect(t.gateway.context.db.selectFrom('login_failures').selectAll().where('email', '=', locked.email).execute()).resolves.toEqual([]);
  });
});
