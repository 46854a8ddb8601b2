/**
 * The console's day in a real browser (Debian's Chromium through playwright-core): the overview
 * charts, order filters and the CSV export, a partial refund from the order page through its
 * confirmation with post-redirect-get, the notifications view, and a merchant's own page. With
 * `npm run screenshots` it writes docs/screenshots/*.png of each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin } from '../support/dashboard-client.ts';
import { launchChromium, logInToConsole } from '../support/chromium.ts';
import type { Workers } from '../../src/jobs/worker.ts';

// Screenshots go to docs/ only with `npm run screenshots`; a plain test run leaves the tree untouched.
const SHOTS = process.env.PAYRAIL_SCREENSHOTS ? path.resolve('docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-console-shots-'));

describe('console in Chromium', () => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin = '';
  let paid: { tradeNo: string; platFormTradeNo: string };
  let unanswered: { tradeNo: string; platFormTradeNo: string };
  const requests: string[] = [];
  const problems: string[] = [];

  async function order(amount: string, email: string, cards: string[], notifyPath = 'ok') {
    const customer = await CashierClient.forNewOrder(t, { amount, email, notifyUrl: `${receiver.url}/${notifyPath}`, remark: 'Console demo' });
    await customer.open();
    for (const card of cards) await customer.pay(card);
    return customer;
  }

  const shoot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestGateway('pglite', { NOTIFY_SCHEDULE: '100ms', NOTIFY_TIMEOUT_MS: 1000 });
    receiver = await startReceiver((request) => (request.path.startsWith('/ok') ? { body: 'OK' } : { status: 503, body: 'maintenance' }));
    workers = t.gateway.startWorkers({ pollMs: 50, sweepEveryMs: 60_000 });
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    paid = await order('120.00', 'ada@example.com', ['4242424242424242']);
    await order('35.00', 'grace@example.com', ['4000000000000002', '5555555555554444']);
    await order('8.40', 'ada@example.com', ['4000000000000002']);
    unanswered = await order('64.20', 'linus@example.com', ['4242424242424242'], 'down');
    await until(async () => {
      const job = await t.gateway.context.db.selectFrom('jobs').select('status').where('order_no', '=', unanswered.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirst();
      return job?.status === 'failed';
    });
    const admin = await createAdmin(t.gateway.context.db, 'ops@example.com', 'a long operator password');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    context.on('request', (request) => requests.push(request.url()));
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page = await context.newPage();
    // A login lands on the Overview.
    await logInToConsole(page, origin, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.stop();
    await t?.close();
    await receiver?.close();
  });

  it('shows the overview with charts a screen reader can read', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('link', { name: '7 days' }).click();
    await expect(page.getByText('219.20 USD').first().isVisible()).resolves.toBe(true);
    const volume = page.getByRole('img', { name: /Paid volume per day/ });
    await expect(volume.isVisible()).resolves.toBe(true);
    const box = await volume.boundingBox();
    expect(box!.height).toBeGreaterThan(50);
    await expect(page.locator('#chart-paid-volume-per-day-d').textContent()).resolves.toContain('3 payments, 219.20 USD');
    await expect(page.getByRole('img', { name: /Declined attempts by reason/ }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('img', { name: /Notifications queued/ }).isVisible()).resolves.toBe(true);
    await shoot('overview');
  });

  it('filters orders and exports the filtered list as CSV', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('Customer email').fill('ADA@example.com');
    await page.getByLabel('Amount from').fill('100');
    await Promise.all([page.waitForURL(/email=ADA%40example.com/), page.getByRole('button', { name: 'Filter' }).click()]);
    await expect(page.getByRole('cell', { name: '120.00 USD' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: '8.40 USD' }).count()).resolves.toBe(0);
    await expect(page.getByRole('cell', { name: '35.00 USD' }).count()).resolves.toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('created_at,platFormTradeNo,tradeNo,merchantNo,amount,currency,status,statusDesc,email,cardBrand,cardLast4,paid_at');
    expect(csv.slice(1, -1)).toHaveLength(1);
    expect(csv[1]).toContain(`,${paid.platFormTradeNo},${paid.tradeNo},${t.merchant.merchantNo},120.00,USD,0000,SUCCESS,ada@example.com,visa,4242,`);

    await page.getByLabel('Amount from').fill('');
    await page.getByLabel('Customer email').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\/dashboard\/orders\?/);
    await shoot('orders');
  });

  it('refunds part of an order through its confirmation, and a reload repeats nothing', async () => {
    await page.goto(`${origin}/dashboard/orders/${paid.platFormTradeNo}`);
    await page.getByLabel(/Amount to refund/).fill('20.00');
    await page.getByLabel('Reason').fill('one seat returned');
    await Promise.all([page.waitForURL(/\/refund\?amount=20.00/), page.getByRole('button', { name: 'Refund…' }).click()]);
    await expect(page.getByRole('heading', { name: 'Refund 20.00 USD?' }).isVisible()).resolves.toBe(true);
    await shoot('refund-confirmation');
    const refunds = () => t.gateway.context.db.selectFrom('refunds').selectAll().where('order_no', '=', paid.platFormTradeNo).execute();
    expect(await refunds()).toEqual([]);

    await Promise.all([page.waitForURL(/notice=refunded$/), page.getByRole('button', { name: 'Refund 20.00 USD' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Refund recorded');
    await expect(page.getByRole('cell', { name: 'one seat returned' }).isVisible()).resolves.toBe(true);
    await page.reload();
    await page.goBack();
    await page.goForward();
    expect((await refunds()).map((r) => [r.amount_cents, r.reason])).toEqual([[2000, 'one seat returned']]);
    await expect(page.getByLabel(/Amount to refund/).inputValue()).resolves.toBe('100.00');
    await shoot('order');
  });

  it('lists the unacknowledged notification and resends it', async () => {
    await page.getByRole('link', { name: 'Notifications' }).click();
    await expect(page.getByRole('cell', { name: /HTTP 503/ }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: unanswered.platFormTradeNo }).isVisible()).resolves.toBe(true);
    await shoot('notifications');
    const before = receiver.received.length;
    await Promise.all([page.waitForURL(/notice=resent$/), page.getByRole('button', { name: /^Resend notification/ }).first().click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('queued again');
    await receiver.waitFor(before + 1);
  });

  it("shows a merchant's own page: balances, statement, credentials, settings", async () => {
    await page.getByRole('link', { name: 'Merchants' }).click();
    await shoot('merchants');
    const name = (await t.gateway.context.db.selectFrom('merchants').select('name').where('merchant_no', '=', t.merchant.merchantNo).executeTakeFirstOrThrow()).name;
    await page.getByRole('link', { name, exact: true }).click();
    await page.waitForURL(`${origin}/dashboard/merchants/${t.merchant.merchantNo}`);
    await expect(page.getByRole('heading', { name: 'Statement' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'API credentials' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: 'Refund', exact: true }).isVisible()).resolves.toBe(true);
    await shoot('merchant');
  });

  it('scrolls no page sideways in a 1280 px wide window, each measured in Chromium', async () => {
    const pages: [string, string][] = [
      ['overview', '/dashboard/overview?range=30d'],
      ['orders', '/dashboard/orders'],
      ['order', `/dashboard/orders/${paid.platFormTradeNo}`],
      ['refund-confirmation', `/dashboard/orders/${paid.platFormTradeNo}/refund?amount=1.00`],
      ['notifications', '/dashboard/notifications'],
      ['payouts', '/dashboard/payouts'],
      ['merchants', '/dashboard/merchants'],
      ['merchant', `/dashboard/merchants/${t.merchant.merchantNo}`],
      ['merchant-edit', `/dashboard/merchants/${t.merchant.merchantNo}/edit`],
      ['users', '/dashboard/users'],
      ['audit', '/dashboard/audit'],
      ['totp', '/dashboard/totp'],
      ['password', '/dashboard/password'],
    ];
    const wide: string[] = [];
    for (const [name, url] of pages) {
      await page.goto(`${origin}${url}`);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      expect(clientWidth).toBeLessThanOrEqual(1280);
      if (scrollWidth > clientWidth) wide.push(`${url}: ${scrollWidth} px wide in a ${clientWidth} px window`);
      if (!['overview', 'orders', 'order', 'refund-confirmation', 'notifications', 'merchant', 'merchants'].includes(name)) await shoot(name);
    }
    expect(wide).toEqual([]);
  });

  it('made no request beyond 127.0.0.1 and broke no content security rule', () => {
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});
