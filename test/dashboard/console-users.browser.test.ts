/**
 * Console users in a real browser (Debian's Chromium): an operator invites a merchant user, who
 * signs in with the one-time password, sees its own orders only, turns on two-factor login from
 * the QR code page and signs in again with a code computed here; the audit log shows each step.
 */
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createUser } from '../support/dashboard-client.ts';
import { launchChromium, logInToConsole } from '../support/chromium.ts';

describe('console users in Chromium', () => {
  let t: TestGateway;
  let browser: Browser;
  let origin = '';
  let other: TestMerchant;
  const orders: Record<'mine' | 'theirs', string> = { mine: '', theirs: '' };
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    other = await t.addMerchant({ name: 'Other Shop' });
    for (const [key, merchant, amount] of [['mine', t.merchant, '12.34'], ['theirs', other, '56.78']] as const) {
      const customer = await CashierClient.forNewOrder(t, { amount }, merchant);
      await customer.open();
      await customer.pay('4242424242424242');
      orders[key] = customer.platFormTradeNo;
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (request) => requests.push(request.url()));
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    return context.newPage();
  }

  const logIn = (page: Page, email: string, password: string, landing: string) => logInToConsole(page, origin, { email, password }, landing);

  it('an operator invites a merchant user, who signs in, sees only its orders, enrols TOTP and signs in with a code', async () => {
    const ops = await createUser(t.gateway.context.db, { email: 'ops@example.com', role: 'operator' });
    const operator = await newPage();
    await logIn(operator, ops.email, ops.password, '/dashboard/overview');
    await operator.goto(`${origin}/dashboard/orders`);
    await expect(operator.getByRole('link', { name: orders.theirs }).isVisible()).resolves.toBe(true);

    await Promise.all([operator.waitForURL(`${origin}/dashboard/users`), operator.getByRole('link', { name: 'Users' }).click()]);
    await operator.getByLabel('Email').fill('owner@shop.example');
    await operator.getByLabel('Role').selectOption('merchant-admin');
    await operator.getByLabel('Merchant (for a merchant user)').selectOption(t.merchant.merchantNo);
    await Promise.all([operator.waitForURL(`${origin}/dashboard/users?notice=invited`), operator.getByRole('button', { name: 'Invite' }).click()]);
    const oneTime = (await operator.getByTestId('one-time-password').textContent())!;
    expect(oneTime).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await operator.reload();
    await expect(operator.getByTestId('one-time-password').count()).resolves.toBe(0);

    // The merchant user: one-time password, then its own password.
    const shop = await newPage();
    await logIn(shop, 'owner@shop.example', oneTime, '/dashboard/password');
    await shop.getByLabel('Current password').fill(oneTime);
    await shop.getByLabel(/^New password \(at least/).fill('the shop owner password');
    await shop.getByLabel('New password again').fill('the shop owner password');
    await Promise.all([shop.waitForURL(`${origin}/dashboard/overview`), shop.getByRole('button', { name: 'Change password' }).click()]);
    await shop.goto(`${origin}/dashboard/orders`);
    await expect(shop.getByRole('link', { name: orders.mine }).isVisible()).resolves.toBe(true);
    await expect(shop.getByText(orders.theirs).count()).resolves.toBe(0);
    await expect(shop.getByRole('navigation').getByRole('link', { name: 'Merchants' }).count()).resolves.toBe(0);
    const forbidden = await shop.goto(`${origin}/dashboard/orders/${orders.theirs}`);
    expect(forbidden!.status()).toBe(404);

    // Two-factor login: the QR code renders as inline SVG under the dashboard's CSP.
    await shop.goto(`${origin}/dashboard/totp`);
    const qr = shop.getByRole('img', { name: /QR code/ });
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(box!.height).toBeGreaterThan(100);
    const uri = (await shop.getByTestId('otpauth-uri').textContent())!;
    const secret = Secret.fromBase32(new URL(uri).searchParams.get('secret')!);
    await shop.getByLabel('Code from the app').fill(TOTP.generate({ secret, timestamp: Date.now() }));
    await Promise.all([shop.waitForURL(`${origin}/dashboard/totp?notice=enrolled`), shop.getByRole('button', { name: 'Turn on two-factor login' }).click()]);
    await expect(shop.getByRole('status').textContent()).resolves.toContain('Two-factor login is on');
    await Promise.all([shop.waitForURL(`${origin}/dashboard/login`), shop.getByRole('button', { name: 'Log out' }).click()]);

    await logIn(shop, 'owner@shop.example', 'the shop owner password', '/dashboard/login/code');
    await shop.getByLabel('Code').fill(TOTP.generate({ secret, timestamp: Date.now() + 30_000 }));
    await Promise.all([shop.waitForURL(`${origin}/dashboard/overview`), shop.getByRole('button', { name: 'Continue' }).click()]);
    await shop.goto(`${origin}/dashboard/orders`);
    await expect(shop.getByRole('link', { name: orders.mine }).isVisible()).resolves.toBe(true);

    // The audit log: the operator sees every step; the merchant user sees its merchant's.
    await operator.goto(`${origin}/dashboard/audit`);
    const actions = await operator.locator('tbody tr td:nth-child(5)').allTextContents();
    for (const action of ['user.invite', 'login', 'user.change-password', 'totp.enrol', 'logout', 'login.password', 'login.totp']) expect(actions).toContain(action);
    await shop.goto(`${origin}/dashboard/audit`);
    const actors = await shop.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(await shop.locator('tbody tr td:nth-child(7)').allTextContents())).toEqual(new Set([t.merchant.merchantNo]));

    expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);
    // The one 404 is the other merchant's order asked for above; no CSP refusal, no other error.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});
