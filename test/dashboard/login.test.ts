import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { pruneLoginCounters } from '../../src/store/console/login-counters.ts';
import { LOGIN_LIMITS } from '../../src/dashboard/log-in.ts';

describeEachDatabase('dashboard login', (kind) => {
  let t: TestGateway;
  let admin: { email: string; password: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    admin = await createAdmin(t.gateway.context.db);
  });
  afterAll(() => t.close());

  const client = (address?: string) => new DashboardClient(t.gateway.app, address);

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

  it('forgets login counters older than the given time, and keeps recent ones', async () => {
    const db = t.gateway.context.db;
    await db.insertInto('login_counters').values([
      { key: 'pair:old@example.com 10.0.0.1', tries: 3, window_start: new Date(Date.now() - 2 * 86_400_000) },
      { key: 'pair:recent@example.com 10.0.0.1', tries: 2, window_start: new Date() },
    ]).execute();
    await pruneLoginCounters(db, new Date(Date.now() - 86_400_000), new Date(Date.now() - 90 * 86_400_000));
    const left = await db.selectFrom('login_counters').select('key').where('key', 'like', 'pair:%@example.com 10.0.0.1').execute();
    expect(left.map((row) => row.key)).toEqual(['pair:recent@example.com 10.0.0.1']);
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
    expect(login.location).toBe('/dashboard/overview');
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

  it('logs out on the server: a copy of the cookie taken before logout no longer works', async () => {
    const browser = client();
    await browser.logIn(admin.email, admin.password);
    const copy = browser.switchTo(t.gateway.app);
    expect((await copy.get('/dashboard/orders')).status).toBe(200);
    await browser.post('/dashboard/logout');
    expect((await copy.get('/dashboard/orders')).status).toBe(303);
    expect((await copy.get('/dashboard/orders')).location).toBe('/dashboard/login');
  });

  it('ends every session of an operator whose password is reset', async () => {
    const other = await createAdmin(t.gateway.context.db, 'reset@example.com', 'first password');
    const browser = client();
    await browser.logIn(other.email, other.password);
    expect((await browser.get('/dashboard/orders')).status).toBe(200);
    await t.gateway.context.db.updateTable('admins').set({ password_hash: 'scrypt$x$y' }).where('email', '=', other.email).execute();
    expect((await browser.get('/dashboard/orders')).status).toBe(303);
  });

  it('locks an email out from one address after five wrong passwords, even for the right one, until the window passes', async () => {
    const locked = await createAdmin(t.gateway.context.db, 'guessed@example.com', 'the real one');
    for (let i = 0; i < 5; i += 1) expect((await client('10.1.0.1').logIn(locked.email, `guess ${i}`)).status).toBe(401);
    const page = await client('10.1.0.1').logIn(locked.email, locked.password);
    expect(page.status).toBe(429);
    expect(page.html).toContain('Too many failed attempts');
    await t.gateway.context.db.updateTable('login_counters').set({ window_start: new Date(Date.now() - 16 * 60_000) }).execute();
    expect((await client('10.1.0.1').logIn(locked.email, locked.password)).status).toBe(303);
    await expect(t.gateway.context.db.selectFrom('login_counters').selectAll().where('key', '=', `pair:${locked.email} 10.1.0.1`).execute()).resolves.toEqual([]);
  });

  it('does not let wrong passwords from one address lock the operator out at another', async () => {
    const victim = await createAdmin(t.gateway.context.db, 'victim@example.com', 'victim password');
    for (let i = 0; i < 8; i += 1) await client('10.2.0.66').logIn(victim.email, `guess ${i}`);
    expect((await client('10.2.0.66').logIn(victim.email, victim.password)).status).toBe(429);
    expect((await client('10.2.0.1').logIn(victim.email, victim.password)).status).toBe(303);
  });

  it('limits one address to twenty tries whatever the emails', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i += 1) expect((await client('10.3.0.66').logIn(`spray${i}@example.com`, 'guess')).status).toBe(401);
    expect((await client('10.3.0.66').logIn('spray-next@example.com', 'guess')).status).toBe(429);
    expect((await client('10.3.0.67').logIn('spray-next@example.com', 'guess')).status).toBe(401);
  });

  it('limits an email tried from many new addresses, but not from an address its operator signed in from', async () => {
    const target = await createAdmin(t.gateway.context.db, 'spread@example.com', 'spread password');
    expect((await client('10.4.0.1').logIn(target.email, target.password)).status).toBe(303);
    const tries = [];
    for (let i = 0; i < LOGIN_LIMITS.perEmailFromNewAddresses; i += 1) tries.push(client(`10.4.1.${i}`).logIn(target.email, 'guess'));
    expect((await Promise.all(tries)).map((page) => page.status)).toEqual(Array(LOGIN_LIMITS.perEmailFromNewAddresses).fill(401));
    expect((await client('10.4.2.1').logIn(target.email, target.password)).status).toBe(429);
    expect((await client('10.4.0.1').logIn(target.email, target.password)).status).toBe(303);
  });

  it('tests at most five passwords out of a burst of 300 concurrent wrong logins', async () => {
    await createAdmin(t.gateway.context.db, 'burst@example.com', 'burst password');
    const pages = await Promise.all(Array.from({ length: 300 }, (_, i) => client('10.5.0.1').logIn('burst@example.com', `guess ${i}`)));
    expect(pages.filter((page) => page.status === 401)).toHaveLength(LOGIN_LIMITS.perEmailAndAddress);
    expect(pages.filter((page) => page.status === 429)).toHaveLength(300 - LOGIN_LIMITS.perEmailAndAddress);
  });

  it('lets in a burst of 40 wrong passwords plus the right one no more than five checks', async () => {
    const admin = await createAdmin(t.gateway.context.db, 'burst2@example.com', 'burst2 password');
    const passwords = [...Array.from({ length: 40 }, (_, i) => `guess ${i}`), admin.password];
    const pages = await Promise.all(passwords.map((password) => client('10.6.0.1').logIn(admin.email, password)));
    const checked = pages.filter((page) => page.status !== 429);
    expect(checked).toHaveLength(LOGIN_LIMITS.perEmailAndAddress);
  });
});
