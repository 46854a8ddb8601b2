import { afterAll, beforeAll, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { LOGIN_LIMITS } from '../../src/dashboard/log-in.ts';

const codeAt = (secret: string, time: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: time });

describeEachDatabase('console two-factor login (TOTP)', (kind) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  /** A signed-in user who has turned two-factor login on; answers its secret as the page showed it. */
  async function enrolled(email: string, address = '127.0.0.1') {
    const user = await createUser(t.gateway.context.db, { email, role: 'merchant-admin', merchantNo: t.merchant.merchantNo });
    const browser = new DashboardClient(t.gateway.app, address);
    await browser.logIn(user.email, user.password);
    const page = await browser.get('/dashboard/totp');
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.html)![1]!;
    const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!;
    const on = await browser.post('/dashboard/totp/enrol', { pending, code: codeAt(secret, Date.now()) });
    expect(on.status).toBe(303);
    return { ...user, secret, browser };
  }

  it('shows the otpauth URI and a server-rendered SVG QR code, and enrols only with a right code', async () => {
    const user = await createUser(t.gateway.context.db, { email: 'enrol@example.com', role: 'operator' });
    const browser = new DashboardClient(t.gateway.app);
    await browser.logIn(user.email, user.password);
    const page = await browser.get('/dashboard/totp');
    expect(page.status).toBe(200);
    const uri = /data-testid="otpauth-uri">([^<]+)</.exec(page.html)![1]!.replaceAll('&amp;', '&');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Payrail:enrol%40example\.com\?/);
    expect(page.html).toMatch(/<svg role="img" aria-label="QR code[^"]*" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(page.html).not.toMatch(/<script|style="/);
    const secret = new URL(uri).searchParams.get('secret')!;
    const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!;
    expect(pending).not.toContain(secret);

    const wrong = await browser.post('/dashboard/totp/enrol', { pending, code: codeAt(secret, Date.now() - 10 * 60_000) });
    expect(wrong.status).toBe(400);
    const forged = await browser.post('/dashboard/totp/enrol', { pending: 'v1.not.sealed.value', code: '123456' });
    expect(forged.status).toBe(303);
    let row = await t.gateway.context.db.selectFrom('admins').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret_sealed).toBeNull();

    const right = await browser.post('/dashboard/totp/enrol', { pending, code: codeAt(secret, Date.now()) });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/dashboard/totp?notice=enrolled');
    row = await t.gateway.context.db.selectFrom('admins').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    // Stored sealed with the master key, never as the base32 secret.
    expect(row.totp_secret_sealed).toMatch(/^v1\./);
    expect(row.totp_secret_sealed).not.toContain(secret);
    expect(t.gateway.context.masterKey.open(row.totp_secret_sealed!)).toBe(secret);
  });

  it('asks for the code after the password, gives no session before it, and accepts each code once', async () => {
    const user = await enrolled('login2fa@example.com');
    const browser = new DashboardClient(t.gateway.app);
    const password = await browser.logIn(user.email, user.password);
    expect(password.status).toBe(303);
    expect(password.location).toBe('/dashboard/login/code');
    expect(browser.cookies.has('payrail_session')).toBe(false);
    expect((await browser.get('/dashboard/orders')).location).toBe('/dashboard/login');
    expect((await browser.get('/dashboard/login/code')).status).toBe(200);

    const wrong = await browser.post('/dashboard/login/code', { code: '000000' === codeAt(user.secret, Date.now()) ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(browser.cookies.has('payrail_session')).toBe(false);

    // The next step's code: the enrolment already used this one.
    const code = codeAt(user.secret, Date.now() + 30_000);
    const right = await browser.post('/dashboard/login/code', { code });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/dashboard/overview');
    expect((await browser.get('/dashboard/orders')).status).toBe(200);

    // The same code again, from another login, is refused.
    const replay = new DashboardClient(t.gateway.app);
    await replay.logIn(user.email, user.password);
    expect((await replay.post('/dashboard/login/code', { code })).status).toBe(401);
    expect(replay.cookies.has('payrail_session')).toBe(false);
    // And without the password step there is no code step.
    const stranger = new DashboardClient(t.gateway.app);
    await stranger.get('/dashboard/login');
    expect((await stranger.post('/dashboard/login/code', { code: codeAt(user.secret, Date.now()) })).location).toBe('/dashboard/login');
  });

  it('counts wrong codes with the login tries: the guessing brake holds after the password', async () => {
    const user = await enrolled('brake@example.com', '10.9.0.1');
    const browser = new DashboardClient(t.gateway.app, '10.9.0.2');
    await browser.logIn(user.email, user.password);
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.perEmailAndAddress + 1; i += 1) statuses.push((await browser.post('/dashboard/login/code', { code: String(100000 + i) })).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThan(LOGIN_LIMITS.perEmailAndAddress);
  });

  it('turns two-factor login off only with a current code', async () => {
    const user = await enrolled('off@example.com');
    await user.browser.get('/dashboard/totp');
    expect((await user.browser.post('/dashboard/totp/disable', { code: '12345' })).status).toBe(400);
    const off = await user.browser.post('/dashboard/totp/disable', { code: codeAt(user.secret, Date.now() + 30_000) });
    expect(off.location).toBe('/dashboard/totp?notice=removed');
    const row = await t.gateway.context.db.selectFrom('admins').select(['totp_secret_sealed', 'totp_last_step']).where('email', '=', user.email).executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret_sealed: null, totp_last_step: null });
    expect((await new DashboardClient(t.gateway.app).logIn(user.email, user.password)).location).toBe('/dashboard/overview');
  });
});
