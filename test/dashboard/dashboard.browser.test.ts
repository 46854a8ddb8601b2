import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
/**
 * The dashboard in a real browser: Debian's Chromium through playwright-core, against a gateway
 * listening on 127.0.0.1. An operator logs in, opens a paid order and resends its notification.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin } from '../support/dashboard-client.ts';
import type { Workers } from '../../src/jobs/worker.ts';
import { launchChromium } from '../support/chromium.ts';

// Screenshots go to docs/ only with `npm run screenshots`; a plain test run leaves the tree untouched.
const DOCS = process.env.PAYRAIL_SCREENSHOTS
  ? new URL('../../docs/', import.meta.url)
  : new URL(`file://${fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-shots-'))}/`);

describe('dashboard in Chromium', () => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers;
  let browser: Browser;
  let context: BrowserContext;
  let origin = '';
  let order: { tradeNo: string; platFormTradeNo: string };
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('pglite', { NOTIFY_SCHEDULE: '100ms', NOTIFY_TIMEOUT_MS: 1000 });
    receiver = await startReceiver(() => ({ body: 'OK' }));
    workers = t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    const customer = await CashierClient.forNewOrder(t, { amount: '49.90', notifyUrl: `${receiver.url}/notify`, remark: 'Two seats, row F' });
    await customer.open();
    await customer.pay('4242424242424242');
    order = customer;
    await receiver.waitFor(1);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (request) => requests.push(request.url()));
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.stop();
    await t?.close();
    await receiver?.close();
  });

  it('logs in, opens an order, resends its notification; nothing leaves 127.0.0.1', async () => {
    const admin = await createAdmin(t.gateway.context.db, 'ops@example.com', 'a long operator password');
    const page = await context.newPage();
    await page.goto(`${origin}/dashboard/orders`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');

    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not it');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Email or password is wrong.');

    await page.getByLabel('Password').fill(admin.password);
    await Promise.all([page.waitForURL(`${origin}/dashboard/overview`), page.getByRole('button', { name: 'Log in' }).click()]);
    await page.goto(`${origin}/dashboard/orders`);
    await expect(page.getByRole('cell', { name: '49.90 USD' }).isVisible()).resolves.toBe(true);

    await Promise.all([page.waitForURL(`${origin}/dashboard/orders/${order.platFormTradeNo}`), page.getByRole('link', { name: order.platFormTradeNo }).click()]);
    await expect(page.getByRole('heading', { name: 'Payment attempts' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: '424242' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: 'OK', exact: true }).first().isVisible()).resolves.toBe(true);

    await Promise.all([page.waitForURL(/notice=resent$/), page.getByRole('button', { name: 'Resend notification' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('queued again');
    await receiver.waitFor(2);
    expect(receiver.received[1]!.body.platFormTradeNo).toBe(order.platFormTradeNo);
    await until(async () => {
      const job = await t.gateway.context.db.selectFrom('jobs').select('status').where('order_no', '=', order.platFormTradeNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();
      return job.status === 'done';
    });
    await page.reload();
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', DOCS).pathname, fullPage: true });

    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    // The one complaint is Chromium noting the refused login's 401; the CSP blocked nothing.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  });
});
