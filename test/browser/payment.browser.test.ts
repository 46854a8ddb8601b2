/**
 * Paying for real in a browser: a test gateway listening on 127.0.0.1, orders created through the
 * signed API, and Debian's Chromium (through playwright-core) filling the hosted cashier page the
 * way a customer does. Each test checks what the customer sees and what the order becomes.
 *
 * One Chromium for the whole file, a fresh browser context per test. Every request the pages make
 * is routed: anything not for 127.0.0.1 is aborted and recorded, and the test fails on it, as it
 * does on any 5xx answer, console error or uncaught page error.
 *
 * The screenshot of the filled form (docs/cashier-page.png) is taken by
 * src/cashier/templates/render.browser.test.ts; this file does not write it.
 */
import { type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { buildSignString, signString } from '../../src/domain/signature.ts';
import { freePort } from '../support/postgres-server.ts';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { launchChromium } from '../support/chromium.ts';
import { pause, until } from '../support/until.ts';

let browser: Browser;
let context: BrowserContext | undefined;
/** What went wrong in the current test's context, checked after each test. */
const foreign: string[] = [];
const serverErrors: string[] = [];
const problems: string[] = [];
/** Card form posts the pages sent in the current test. */
const payPosts: Request[] = [];

const isLoopback = (url: string) => url.startsWith('data:') || new URL(url).hostname === '127.0.0.1';

async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const created = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, locale: 'en-US', viewport: { width: 1280, height: 900 } });
  // Nothing may leave the loopback address: such a request is recorded and never sent.
  await created.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  created.on('request', (request) => {
    if (!isLoopback(request.url()) && !foreign.includes(request.url())) foreign.push(request.url());
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/checkout/pay') payPosts.push(request);
  });
  created.on('response', (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  created.on('page', (page) => watch(page));
  context = created;
  return created;
}

function watch(page: Page) {
  page.on('console', (message) => {
    // A 4xx page (a refused form, an expired link, the demo shop's favicon) is logged by Chromium;
    // the tests check those statuses themselves, and 5xx answers are caught from the responses.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const seen = { foreign: [...foreign], serverErrors: [...serverErrors], problems: [...problems] };
  foreign.length = 0;
  serverErrors.length = 0;
  problems.length = 0;
  payPosts.length = 0;
  // No request left 127.0.0.1, the server never answered the page with a 5xx, and the page never complained.
  expect(seen).toEqual({ foreign: [], serverErrors: [], problems: [] });
});

afterAll(async () => {
  await browser?.close();
});

const CARD_DECLINED = 'Your card was declined. Please try another card.';
const THREEDS_FAILED = 'Your bank could not verify this payment. Please try again or use another card.';
const BRAND_REFUSED = 'This card brand is not accepted. Use Visa or Mastercard.';

describeEachDatabase('paying on the cashier page in Chromium', (kind) => {
  let t: TestGateway;
  let origin = '';

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await startTestGateway(kind, { PUBLIC_URL: origin });
    await t.gateway.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  /** A new order through the signed API; the customer comes back to the gateway's demo shop page. */
  async function newOrder(overrides: Record<string, string> = {}) {
    const fields = checkoutFields({ returnUrl: `${origin}/demo/return?cart=9`, notifyUrl: `${origin}/demo/notify`, ...overrides });
    const { body } = await t.post('/v1/checkout', fields);
    expect(body).toMatchObject({ code: '0000', data: { status: '0015' } });
    const paymentUrl: string = body.data.paymentUrl;
    expect(paymentUrl.startsWith(`${origin}/checkout?data=`)).toBe(true);
    return { tradeNo: fields.tradeNo as string, platFormTradeNo: body.data.platFormTradeNo as string, paymentUrl };
  }

  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attempts = (orderNo: string) =>
    t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at').execute();

  async function openPage(paymentUrl: string, options: { javaScriptEnabled?: boolean } = {}) {
    const page = await (context ?? (await newContext(options))).newPage();
    const response = await page.goto(paymentUrl);
    return { page, status: response?.status() };
  }

  async function fillCard(page: Page, number: string, extra: { holder?: string } = {}) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Name on card').fill(extra.holder ?? 'Ada Lovelace');
  }

  /** Clicks "Pay …" and waits for the answer page to load. */
  async function pay(page: Page) {
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/checkout/pay');
    await page.getByRole('button', { name: /^Pay / }).click();
    const response = await answered;
    await page.waitForLoadState('domcontentloaded');
    return response;
  }

  async function expectReceipt(page: Page, order: { platFormTradeNo: string }, maskedCard: string, pan: string) {
    await page.locator('h1', { hasText: 'Payment successful' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(order.platFormTradeNo);
    expect(text).toContain(maskedCard);
    expect(text).toContain('300.00');
    // The full card number is nowhere in the page.
    const digits = (await page.content()).replace(/[\s•]/g, '');
    expect(digits).not.toContain(pan.replace(/\s/g, ''));
  }

  /** The demo shop got the customer back with the signed result in its query string. */
  function expectSignedReturn(url: string, order: { tradeNo: string; platFormTradeNo: string }) {
    const back = new URL(url);
    expect(back.origin + back.pathname).toBe(`${origin}/demo/return`);
    expect(back.searchParams.get('cart')).toBe('9');
    const fields = {
      tradeNo: back.searchParams.get('tradeNo'),
      platFormTradeNo: back.searchParams.get('platFormTradeNo'),
      status: back.searchParams.get('status'),
      timestamp: back.searchParams.get('timestamp'),
    };
    expect(fields).toMatchObject({ tradeNo: order.tradeNo, platFormTradeNo: order.platFormTradeNo, status: '0000' });
    expect(Math.abs(Number(fields.timestamp) - Date.now())).toBeLessThan(60_000);
    const expected = signString(buildSignString(fields as Record<string, string>), t.merchant.appSecret, { signType: 'MD5', placement: 'suffix' });
    expect(back.searchParams.get('sign')).toBe(expected);
  }

  it('loads the page, its CSS and its JS from the gateway alone; records the first-load size', async () => {
    const order = await newOrder();
    const loaded: Request[] = [];
    await newContext();
    context!.on('requestfinished', (request) => loaded.push(request));
    const { page, status } = await openPage(order.paymentUrl);
    expect(status).toBe(200);
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Pay 300.00 USD' }).waitFor();
    const sizes = await Promise.all(loaded.map(async (request) => ({ type: request.resourceType(), url: request.url(), ...(await request.sizes()) })));
    expect(sizes.map((s) => s.type).sort()).toEqual(['document', 'script', 'stylesheet']);
    const body = sizes.reduce((sum, s) => sum + s.responseBodySize, 0);
    const headers = sizes.reduce((sum, s) => sum + s.responseHeadersSize, 0);
    console.log(
      `[${kind}] cashier page first load: ${body} bytes of response bodies (${sizes.map((s) => `${s.type} ${s.responseBodySize}`).join(', ')}), ` +
        `${body + headers} bytes with headers`,
    );
    expect(body).toBeGreaterThan(0);
    expect(body).toBeLessThan(50_000);
  });

  /**
   * Opens the order's page with the page's clock under the test's hand: it runs while the page
   * loads and the card is paid, and stands still from then on, so the receipt's countdown moves
   * only when the test moves it.
   */
  async function openWithClock(paymentUrl: string) {
    const page = await (context ?? (await newContext())).newPage();
    const start = Date.now();
    await page.clock.install({ time: start });
    await page.goto(paymentUrl);
    await page.clock.pauseAt(start + 60_000);
    return page;
  }

  it('pays with Visa 4242 4242 4242 4242: receipt with a countdown that goes on to returnUrl by itself after 5 s', async () => {
    const order = await newOrder();
    const page = await openWithClock(order.paymentUrl);
    await expect(page.getByText('Test Store').first().isVisible()).resolves.toBe(true);
    await fillCard(page, '4242 4242 4242 4242');
    const answer = await pay(page);
    expect(answer.status()).toBe(200);
    await expectReceipt(page, order, 'Visa •••• 4242', '4242424242424242');
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS', cardBrand: 'visa', cardLast4: '4242' });
    // The countdown is shown with a link to go now and a control to stay (WCAG 2.2.1); no meta refresh.
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await page.getByRole('status').filter({ hasText: 'Taking you back to Test Store in 5 s.' }).waitFor();
    await expect(page.getByRole('button', { name: 'Stay on this page' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Return to merchant' }).isVisible()).resolves.toBe(true);
    await page.clock.runFor(1_000);
    await page.getByText('Taking you back to Test Store in 4 s.').waitFor();
    await Promise.all([page.waitForURL(`${origin}/demo/return?**`), page.clock.runFor(4_000)]);
    await page.getByRole('heading', { name: 'Back at the demo shop' }).waitFor();
    expectSignedReturn(page.url(), order);
  });

  it('keeps the receipt for as long as the customer asks to stay, then goes back by the link', async () => {
    const order = await newOrder();
    const page = await openWithClock(order.paymentUrl);
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await expectReceipt(page, order, 'Visa •••• 4242', '4242424242424242');
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await page.getByText('You are staying on this page. Use the link when you are ready.').waitFor();
    await page.clock.runFor(10 * 60_000);
    expect(new URL(page.url()).pathname).toBe('/checkout/pay');
    await expect(page.getByRole('button', { name: 'Stay on this page' }).isVisible()).resolves.toBe(false);
    await expect(page.locator('h1').innerText()).resolves.toBe('Payment successful');
    await Promise.all([page.waitForURL(`${origin}/demo/return?**`), page.getByRole('link', { name: 'Return to merchant' }).click()]);
    expectSignedReturn(page.url(), order);
  });

  it('without JavaScript, shows the receipt with the link only: no countdown, no redirect', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl, { javaScriptEnabled: false });
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await expectReceipt(page, order, 'Visa •••• 4242', '4242424242424242');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await expect(page.getByText('When you are ready, return to Test Store.').isVisible()).resolves.toBe(true);
    await expect(page.getByText(/Taking you back/).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Stay on this page' }).isVisible()).resolves.toBe(false);
    await Promise.all([page.waitForURL(`${origin}/demo/return?**`), page.getByRole('link', { name: 'Return to merchant' }).click()]);
    expectSignedReturn(page.url(), order);
  });

  it.each([
    ['Mastercard 5555 5555 5555 4444', '5555 5555 5555 4444', 'mastercard', 'Mastercard •••• 4444'],
    ['Mastercard 2-series 2223 0031 2200 3222', '2223 0031 2200 3222', 'mastercard', 'Mastercard •••• 3222'],
  ])('pays with %s: receipt, paid, then back to returnUrl by the link', async (_name, number, brand, masked) => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await fillCard(page, number);
    await pay(page);
    await expectReceipt(page, order, masked, number);
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS', cardBrand: brand, cardLast4: number.slice(-4) });
    await Promise.all([page.waitForURL(`${origin}/demo/return?**`), page.getByRole('link', { name: 'Return to merchant' }).click()]);
    expectSignedReturn(page.url(), order);
  });

  it('after a decline shows one generic sentence, no issuer reason, and takes another card on the same order', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await fillCard(page, '4000 0000 0000 0002');
    const declined = await pay(page);
    expect(declined.status()).toBe(200);
    await page.getByRole('alert').filter({ hasText: CARD_DECLINED }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/DO_NOT_HONOR|do not honou?r|honou?r|issuer/i);
    expect(await page.content()).not.toMatch(/DO_NOT_HONOR/i);
    expect(await query(order.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });

    // Same page, same order: another card.
    await fillCard(page, '4242 4242 4242 4242');
    await pay(page);
    await expectReceipt(page, order, 'Visa •••• 4242', '4242424242424242');
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS' });
    expect((await attempts(order.platFormTradeNo)).map((a) => [a.status, a.reason])).toEqual([
      ['declined', 'DO_NOT_HONOR'],
      ['approved', null],
    ]);
  });

  it('starts with a skip link that takes the keyboard to the card form', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the card form' });
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(skip.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('cardNumber');
  });

  it('passes 3-D Secure with the code 123456', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await fillCard(page, '4000 0000 0000 3220');
    await pay(page);
    await page.getByRole('heading', { name: 'Verify your payment' }).waitFor();
    expect(await query(order.tradeNo)).toMatchObject({ status: '0015', desc: 'PROCESSING' });
    // Test mode with the simulator: the page says which code passes.
    await expect(page.getByText('Test code: 123456').isVisible()).resolves.toBe(true);
    await page.getByLabel('Verification code').fill('123456');
    await Promise.all([page.waitForURL(`${origin}/checkout/3ds`), page.getByRole('button', { name: 'Submit' }).click()]);
    await expectReceipt(page, order, 'Visa •••• 3220', '4000000000003220');
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS' });
  });

  it('fails 3-D Secure with a wrong code: back on the card form with name and expiry kept, order still payable', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await fillCard(page, '5200 0000 0000 2151', { holder: 'Grace Hopper' });
    const typedExpiry = await page.getByLabel('Expiry (MM/YY)').inputValue();
    await pay(page);
    await page.getByLabel('Verification code').fill('000000');
    await Promise.all([page.waitForURL(`${origin}/checkout/3ds`), page.getByRole('button', { name: 'Submit' }).click()]);
    await page.getByRole('alert').filter({ hasText: THREEDS_FAILED }).waitFor();
    await expect(page.getByLabel('Card number').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Pay 300.00 USD' }).isVisible()).resolves.toBe(true);
    // Like after a decline: name and expiry are filled back in; card number and CVC never are.
    await expect(page.getByLabel('Name on card').inputValue()).resolves.toBe('Grace Hopper');
    await expect(page.getByLabel('Expiry (MM/YY)').inputValue()).resolves.toBe(typedExpiry);
    await expect(page.getByLabel('Card number').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('CVC').inputValue()).resolves.toBe('');
    expect(await query(order.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
    expect((await attempts(order.platFormTradeNo)).map((a) => [a.status, a.reason])).toEqual([['declined', 'AUTHENTICATION_FAILED']]);
  });

  it('refuses Amex on the page with the brand sentence, and makes no attempt', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    await fillCard(page, '3782 822463 10005');
    await page.getByRole('button', { name: /^Pay / }).click();
    await expect(page.locator('#cardNumber-error').textContent()).resolves.toBe(BRAND_REFUSED);
    await expect(page.getByText(BRAND_REFUSED).isVisible()).resolves.toBe(true);
    expect(payPosts).toHaveLength(0);

    // Without JavaScript the server has the last word, and says the same.
    await context!.close();
    context = undefined;
    const bare = await openPage(order.paymentUrl, { javaScriptEnabled: false });
    await fillCard(bare.page, '3782 822463 10005');
    const refused = await pay(bare.page);
    expect(refused.status()).toBe(400);
    await expect(bare.page.locator('#cardNumber-error').textContent()).resolves.toBe(BRAND_REFUSED);

    expect(await attempts(order.platFormTradeNo)).toHaveLength(0);
    expect(await query(order.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
  });

  it('shows a clear page, HTTP 410, for an expired order', async () => {
    const order = await newOrder();
    await t.gateway.context.db
      .updateTable('orders')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('plat_form_trade_no', '=', order.platFormTradeNo)
      .execute();
    const { page, status } = await openPage(order.paymentUrl);
    expect(status).toBe(410);
    await expect(page.getByRole('heading', { name: 'Payment link expired' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('This payment link has expired. Please return to the merchant to start again.').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Card number').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Pay / }).count()).resolves.toBe(0);
  });

  it('charges once when two tabs pay the same order at the same moment', async () => {
    const order = await newOrder();
    const { page: first } = await openPage(order.paymentUrl);
    const { page: second } = await openPage(order.paymentUrl); // same context: same cookie jar, like two tabs
    await fillCard(first, '4242 4242 4242 4242');
    await fillCard(second, '5555 5555 5555 4444');

    // Hold the acquirer's answer until both tabs' posts are out and the other one has been answered, so they really overlap.
    const authorize = t.acquirer.authorize;
    let calls = 0;
    t.acquirer.authorize = async (request) => {
      calls += 1;
      await until(() => payPosts.length === 2, 3_000, 10, 'both tabs posting').catch(() => undefined);
      await Promise.race([...payPosts.map((post) => post.response()), pause(3_000)]);
      return authorize.call(t.acquirer, request);
    };
    try {
      const [a, b] = await Promise.all([pay(first), pay(second)]);
      expect([a.status(), b.status()].every((s) => s < 500)).toBe(true);
    } finally {
      t.acquirer.authorize = authorize;
    }
    expect(payPosts).toHaveLength(2);
    expect(calls).toBe(1);

    const all = await attempts(order.platFormTradeNo);
    expect(all).toHaveLength(1);
    expect(await t.acquirer.chargeCount(all[0]!.id)).toBe(1);
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS' });

    // One tab has the receipt; the other has the receipt too or is told the payment is being confirmed.
    const headings = await Promise.all([first, second].map((page) => page.locator('h1').innerText()));
    console.log(`[${kind}] two tabs, same moment: ${headings.join(' / ')}`);
    expect(headings.filter((h) => h === 'Payment successful').length).toBeGreaterThanOrEqual(1);
    for (const heading of headings) expect(['Payment successful', 'Confirming your payment']).toContain(heading);
    const waiting = [first, second].find((_, i) => headings[i] === 'Confirming your payment');
    if (waiting) {
      await expect(waiting.getByText('Please do not pay again.').isVisible()).resolves.toBe(true);
      // It checks again by itself and lands on the receipt.
      await waiting.locator('h1', { hasText: 'Payment successful' }).waitFor({ timeout: 10_000 });
      await expect(waiting.getByText(order.platFormTradeNo).isVisible()).resolves.toBe(true);
    }
  });

  it('can be paid with the keyboard alone', async () => {
    const order = await newOrder();
    const { page } = await openPage(order.paymentUrl);
    let tabs = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'cardNumber') {
      await page.keyboard.press('Tab');
      if (++tabs > 15) throw new Error('the card number is not reachable with Tab');
    }
    await page.keyboard.type('4242424242424242');
    const visited: string[] = [];
    for (const text of ['1234', '123', 'Ada Lovelace']) {
      await page.keyboard.press('Tab');
      visited.push((await page.evaluate(() => document.activeElement?.id)) ?? '');
      await page.keyboard.type(text);
    }
    expect(visited).toEqual(['expiry', 'cvc', 'holder']);
    await expect(page.getByLabel('Card number').inputValue()).resolves.toBe('4242 4242 4242 4242');
    await expect(page.getByLabel('Expiry (MM/YY)').inputValue()).resolves.toBe('12/34');
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/checkout/pay');
    await page.keyboard.press('Enter');
    expect((await answered).status()).toBe(200);
    await expectReceipt(page, order, 'Visa •••• 4242', '4242424242424242');
    expect(payPosts).toHaveLength(1);
    expect(await query(order.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS' });
  });
});
