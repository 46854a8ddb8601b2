/**
 * Disputes in the console, in Chromium: the disputes page (open first, the soonest evidence due
 * date first; a merchant user sees only its own, read-only), the dispute on the order page, the
 * overview's open disputes and win rate, and the dispute fee in the operator's merchant settings.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { until } from '../support/until.ts';
import { createUser } from '../support/dashboard-client.ts';
import { launchChromium, logInToConsole } from '../support/chromium.ts';
import type { Workers } from '../../src/jobs/worker.ts';
import { findApprovedAttempt } from '../../src/store/attempts.ts';
import { listDisputesOfOrder } from '../../src/store/disputes.ts';
import { applyDisputeEvent } from '../../src/payments/apply-dispute-event.ts';
import { closeSimulatorDispute } from '../../src/payments/close-simulator-dispute.ts';
import { findMerchant } from '../../src/store/merchants.ts';
import { cents } from '../../src/domain/money.ts';

describe('disputes in the console, in Chromium', () => {
  let t: TestGateway;
  let workers: Workers;
  let browser: Browser;
  let origin = '';
  let shop: TestMerchant;
  let other: TestMerchant;
  const orders: Record<'fraud' | 'soon' | 'won' | 'theirs', { tradeNo: string; platFormTradeNo: string; disputeNo: string }> = {} as never;

  async function paid(merchant: TestMerchant, amount: string, card: string) {
    const customer = await CashierClient.forNewOrder(t, { amount, notifyUrl: 'http://127.0.0.1:9/notify' }, merchant);
    await customer.open();
    await customer.pay(card);
    return customer;
  }
  const disputeOf = async (orderNo: string) => (await until(async () => (await listDisputesOfOrder(t.gateway.context.db, orderNo))[0], 20_000, 50, 'the dispute')).dispute_no;

  async function logIn(email: string, password: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logInToConsole(page, origin, { email, password });
    return page;
  }

  beforeAll(async () => {
    t = await startTestGateway('pglite', { NOTIFY_SCHEDULE: '100ms' });
    workers = t.gateway.startWorkers({ pollMs: 50, sweepEveryMs: 60_000 });
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    shop = await t.addMerchant({ name: 'Seat Shop' });
    other = await t.addMerchant({ name: 'Other Shop' });
    const fraud = await paid(shop, '120.00', '4000000000000259');
    const won = await paid(shop, '35.00', '4000000000002685');
    const theirs = await paid(other, '99.00', '4000000000000259');
    // A dispute a processor opened, its evidence due sooner than the simulator's seven days.
    const soon = await paid(shop, '42.00', '4242424242424242');
    const attempt = await findApprovedAttempt(t.gateway.context.db, soon.platFormTradeNo);
    await applyDisputeEvent(t.gateway.context, {
      processor: 'simulator',
      processorDisputeId: 'dp_soon',
      paymentReference: attempt!.acquirer_reference!,
      amount: cents(4200),
      currency: 'USD',
      reason: 'DUPLICATE',
      evidenceDueBy: new Date(Date.now() + 2 * 86_400_000),
      stage: 'opened',
      occurredAt: new Date(),
    });
    for (const [name, customer] of Object.entries({ fraud, won, theirs, soon })) {
      orders[name as keyof typeof orders] = { tradeNo: customer.tradeNo, platFormTradeNo: customer.platFormTradeNo, disputeNo: await disputeOf(customer.platFormTradeNo) };
    }
    await closeSimulatorDispute(t.gateway.context.db, orders.won.disputeNo, 'won', new Date());
    await createUser(t.gateway.context.db, { email: 'ops@example.com', role: 'operator' });
    await createUser(t.gateway.context.db, { email: 'viewer@shop.example', role: 'merchant-viewer', merchantNo: shop.merchantNo });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workers?.stop();
    await t?.close();
  });

  const disputeColumn = async (page: Page) => page.locator('tbody tr td:nth-child(3)').allTextContents();

  it('lists every dispute for an operator, open first by evidence due date, then the ended ones', async () => {
    const page = await logIn('ops@example.com', 'correct horse battery staple');
    await Promise.all([page.waitForURL(/\/dashboard\/disputes$/), page.getByRole('navigation').getByRole('link', { name: 'Disputes' }).click()]);
    const listed = await disputeColumn(page);
    expect(listed[0]).toBe(orders.soon.disputeNo);
    expect(listed.slice(1, 3).sort()).toEqual([orders.fraud.disputeNo, orders.theirs.disputeNo].sort());
    expect(listed[3]).toBe(orders.won.disputeNo);
    await expect(page.locator('tbody tr').first().getByText('OPEN').isVisible()).resolves.toBe(true);
    await expect(page.locator('tbody tr').last().getByText('WON').isVisible()).resolves.toBe(true);

    await Promise.all([page.waitForURL(/open=1/), page.getByLabel('Open only').check().then(() => page.getByRole('button', { name: 'Filter' }).click())]);
    expect(await disputeColumn(page)).not.toContain(orders.won.disputeNo);
  });

  it("shows the dispute on the order page and the dispute fee in the merchant's settings", async () => {
    const page = await logIn('ops@example.com', 'correct horse battery staple');
    await page.goto(`${origin}/dashboard/orders/${orders.fraud.platFormTradeNo}`);
    const section = page.getByRole('region', { name: 'Disputes' });
    await expect(section.getByText(orders.fraud.disputeNo).isVisible()).resolves.toBe(true);
    await expect(section.getByText('FRAUDULENT').isVisible()).resolves.toBe(true);
    await expect(section.getByText('120.00 USD').isVisible()).resolves.toBe(true);

    await page.goto(`${origin}/dashboard/merchants/${shop.merchantNo}`);
    await expect(page.getByLabel(/Dispute fee/).inputValue()).resolves.toBe('15.00');
    await page.getByLabel(/Dispute fee/).fill('20.00');
    await Promise.all([page.waitForURL(/notice=dispute-fee$/), page.getByRole('button', { name: 'Save dispute fee' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Dispute fee saved');
    expect((await findMerchant(t.gateway.context.db, shop.merchantNo))!.dispute_fee_cents).toBe(2000);
  });

  it("gives a merchant-viewer its own disputes only, read-only, and the overview's open amount and win rate", async () => {
    const page = await logIn('viewer@shop.example', 'correct horse battery staple');
    await expect(page.getByText('Disputes open').isVisible()).resolves.toBe(true);
    await expect(page.locator('.tile', { hasText: 'Disputes open' }).textContent()).resolves.toContain('162.00 USD');
    await expect(page.locator('.tile', { hasText: 'Dispute win rate' }).textContent()).resolves.toContain('100%');
    await Promise.all([page.waitForURL(/\/dashboard\/disputes$/), page.getByRole('navigation').getByRole('link', { name: 'Disputes' }).click()]);
    const listed = await disputeColumn(page);
    expect(listed.sort()).toEqual([orders.soon.disputeNo, orders.fraud.disputeNo, orders.won.disputeNo].sort());
    await expect(page.locator('main form[method="post"], body form[method="post"]:not([action="/dashboard/logout"])').count()).resolves.toBe(0);
    await page.goto(`${origin}/dashboard/orders/${orders.theirs.platFormTradeNo}`);
    await expect(page.getByRole('region', { name: 'Disputes' }).count()).resolves.toBe(0);
  });
});
