/**
 * Cards on file in Chromium: the consent line of an order that may save the card, and a
 * returning customer paying with their saved card in one click. Every request the pages make must
 * stay on 127.0.0.1, and no page may log an error.
 */
import { type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/postgres-server.ts';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { launchChromium, logInToConsole } from '../support/chromium.ts';
import { createAdmin } from '../support/dashboard-client.ts';

let browser: Browser;
let context: BrowserContext | undefined;
const problems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  const seen = [...problems];
  problems.length = 0;
  expect(seen).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
});

async function newPage() {
  context = await browser.newContext({ locale: 'en-US' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === '127.0.0.1') return route.continue();
    problems.push(`request left the loopback address: ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return page;
}

describeEachDatabase('saving a card and paying with it in Chromium', (kind) => {
  let t: TestGateway;
  let origin = '';
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await startTestGateway(kind, { PUBLIC_URL: origin });
    await t.gateway.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  async function newOrder(overrides: Record<string, string>) {
    const fields = checkoutFields({ returnUrl: `${origin}/demo/return`, notifyUrl: `${origin}/demo/notify`, amount: '25.00', ...overrides });
    const { body } = await t.post('/v1/checkout', fields);
    return { tradeNo: fields.tradeNo as string, paymentUrl: body.data.paymentUrl as string };
  }
  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;

  it('shows the consent box unticked, saves the card when ticked, then pays with it in one click', async () => {
    const customerId = `browser-${kind}-${Date.now()}`;
    const first = await newOrder({ customerId, saveCard: 'optional' });
    const page = await newPage();
    await page.goto(first.paymentUrl);
    const consent = page.getByLabel('Save this card for future payments to Test Store');
    expect(await consent.isChecked()).toBe(false);
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await consent.check();
    await page.getByRole('button', { name: 'Pay 25.00 USD' }).click();
    await page.locator('h1', { hasText: 'Payment successful' }).waitFor();
    const saved = await query(first.tradeNo);
    expect(saved).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_/) });

    const second = await newOrder({ customerId, amount: '7.50' });
    await page.goto(second.paymentUrl);
    await page.getByRole('heading', { name: 'Your saved cards' }).waitFor();
    expect(await page.getByText('Expires 12/34').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Pay 7.50 USD with Visa •••• 4242' }).click();
    await page.locator('h1', { hasText: 'Payment successful' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Visa •••• 4242');
    const paidAgain = await query(second.tradeNo);
    expect(paidAgain).toMatchObject({ status: '0000', cardToken: saved.cardToken });

    // An operator follows the order's customer to their page and deletes the card behind its confirmation.
    const admin = await createAdmin(t.gateway.context.db, `ops-${kind}@example.com`);
    await logInToConsole(page, origin, admin);
    await page.goto(`${origin}/dashboard/orders/${paidAgain.platFormTradeNo}`);
    await Promise.all([page.waitForURL(/\/customers\//), page.getByRole('link', { name: customerId }).click()]);
    expect(await page.getByRole('cell', { name: saved.cardToken }).isVisible()).toBe(true);
    await Promise.all([page.waitForURL(/\/delete\??$/), page.getByRole('button', { name: 'Delete…' }).click()]);
    await Promise.all([page.waitForURL(/notice=card-deleted$/), page.getByRole('button', { name: 'Delete the saved card' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Saved card deleted');
    expect(await page.getByText('No saved card.').isVisible()).toBe(true);
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toEqual([]);
  });

  it('says in one sentence that a required save keeps the card, with no box to untick', async () => {
    const order = await newOrder({ customerId: `browser-req-${kind}`, saveCard: 'required' });
    const page = await newPage();
    await page.goto(order.paymentUrl);
    expect(await page.getByText('By paying, you agree that this card will be saved for future payments by Test Store.').isVisible()).toBe(true);
    expect(await page.getByRole('checkbox').count()).toBe(0);
  });
});
