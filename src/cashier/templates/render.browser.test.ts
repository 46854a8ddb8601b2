import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
/**
 * The payment page in a real browser: rendered by our templates, served with our CSP from a
 * throwaway server on 127.0.0.1, driven by Debian's Chromium through playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cashierAssets, contentSecurityPolicy } from '../assets/index.ts';
import { pickLocale } from '../../i18n/index.ts';
import { renderPaymentPage } from './index.ts';
import { launchChromium } from '../../../test/support/chromium.ts';

const TOKEN = 'c0ffee'.repeat(8);
// Screenshots go to docs/ only with `npm run screenshots`; a plain test run leaves the tree untouched.
const DOCS = process.env.PAYRAIL_SCREENSHOTS
  ? new URL('../../../docs/', import.meta.url)
  : new URL(`file://${fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-shots-'))}/`);

interface Posted {
  path: string;
  form: URLSearchParams;
}

let server: Server;
let origin = '';
let browser: Browser;
let context: BrowserContext | undefined;
const posts: Posted[] = [];
const requests: string[] = [];
const problems: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', origin);
  const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'content-security-policy': contentSecurityPolicy(), ...extra });
    res.end(body);
  };
  if (req.method === 'GET' && url.pathname === '/checkout') {
    const locale = pickLocale(req.headers['accept-language'], url.searchParams.get('lang') ?? undefined);
    const page = renderPaymentPage({
      locale,
      merchantName: 'Acme Tickets',
      amountText: '300.00',
      currency: 'USD',
      remark: url.searchParams.get('remark') ?? 'Two seats, row F',
      token: url.searchParams.get('data') ?? '',
      csrfToken: 'csrf-token-1',
      attemptsLeft: 5,
    });
    return send(200, 'text/html; charset=utf-8', page);
  }
  if (req.method === 'GET' && url.pathname.startsWith('/checkout/assets/')) {
    const asset = cashierAssets[url.pathname.slice('/checkout/assets/'.length)];
    if (asset) return send(200, asset.contentType, asset.body, { etag: asset.etag, 'cache-control': 'public, max-age=31536000, immutable' });
  }
  if (req.method === 'POST' && url.pathname === '/checkout/pay') {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      posts.push({ path: url.pathname, form: new URLSearchParams(body) });
      send(200, 'text/html; charset=utf-8', '<!doctype html><link rel="icon" href="data:,"><title>received</title><p>received</p>');
    });
    return;
  }
  send(404, 'text/plain', 'not found');
}

async function open(options: { query?: string; javaScriptEnabled?: boolean; locale?: string; viewport?: { width: number; height: number }; mobile?: boolean } = {}): Promise<Page> {
  context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.mobile ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
  await page.goto(`${origin}/checkout?data=${TOKEN}${options.query ?? ''}`);
  return page;
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
  const complaints = [...problems];
  requests.length = 0;
  problems.length = 0;
  // Nothing the page asked for went anywhere but our own server, and the CSP never had to block anything.
  expect(foreign).toEqual([]);
  expect(complaints).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('payment page in Chromium', () => {
  it('associates every visible label with its input', async () => {
    const page = await open();
    for (const label of ['Card number', 'Expiry (MM/YY)', 'CVC', 'Name on card']) {
      await expect(page.getByLabel(label, { exact: true }).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByRole('button', { name: 'Pay 300.00 USD' }).isVisible()).resolves.toBe(true);
  });

  it('shows a hostile remark as text and runs none of it', async () => {
    const page = await open({ query: `&remark=${encodeURIComponent('<script>alert(1)</script><img src=x onerror=alert(2)>')}` });
    await expect(page.getByText('<script>alert(1)</script><img src=x onerror=alert(2)>').isVisible()).resolves.toBe(true);
    await expect(page.locator('img').count()).resolves.toBe(0);
  });

  it('groups the card number as it is typed and names the brand', async () => {
    const page = await open();
    const number = page.getByLabel('Card number');
    await number.pressSequentially('4242424242424242');
    await expect(number.inputValue()).resolves.toBe('4242 4242 4242 4242');
    await expect(page.locator('#cardNumber-brand').textContent()).resolves.toBe('Visa');
    await page.getByLabel('Expiry (MM/YY)').pressSequentially('1230');
    await expect(page.getByLabel('Expiry (MM/YY)').inputValue()).resolves.toBe('12/30');
    await page.getByLabel('CVC').pressSequentially('123');
    await page.getByLabel('Name on card').pressSequentially('Jane Doe');
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: new URL('cashier-page.png', DOCS).pathname, fullPage: true });

    await number.fill('');
    await number.pressSequentially('2223003122003222');
    await expect(page.locator('#cardNumber-brand').textContent()).resolves.toBe('Mastercard');
  });

  it('flags an American Express number as not accepted', async () => {
    const page = await open();
    const number = page.getByLabel('Card number');
    await number.pressSequentially('378282246310005');
    await expect(page.locator('#cardNumber-brand').textContent()).resolves.toBe('American Express: not accepted');
    await number.blur();
    await expect(page.locator('#cardNumber-error').textContent()).resolves.toBe('This card brand is not accepted. Use Visa or Mastercard.');
    await expect(number.getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('checks Luhn and expiry on blur, in the language of the page, and clears the error once fixed', async () => {
    const page = await open({ locale: 'es-ES' });
    const number = page.getByLabel('Número de tarjeta');
    await number.pressSequentially('4242424242424241');
    await number.blur();
    await expect(page.locator('#cardNumber-error').textContent()).resolves.toBe('Este número de tarjeta no es válido. Revísalo.');
    await number.press('End');
    await number.press('Backspace');
    await number.pressSequentially('2');
    await expect(page.locator('#cardNumber-error').textContent()).resolves.toBe('');
    await expect(number.getAttribute('aria-invalid')).resolves.toBeNull();

    const expiry = page.getByLabel('Vencimiento (MM/AA)');
    await expiry.pressSequentially('0120');
    await expiry.blur();
    await expect(page.locator('#expiry-error').textContent()).resolves.toBe('Esta tarjeta está vencida.');
  });

  it('can be filled and paid with the keyboard alone, once', async () => {
    const page = await open();
    let tabs = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'cardNumber') {
      await page.keyboard.press('Tab');
      if (++tabs > 10) throw new Error('the card number is not reachable with Tab');
    }
    await page.keyboard.type('5555555555554444');
    const order: string[] = [];
    for (const text of ['1230', '123', 'Jane Doe']) {
      await page.keyboard.press('Tab');
      order.push((await page.evaluate(() => document.activeElement?.id)) ?? '');
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Tab');
    expect(order).toEqual(['expiry', 'cvc', 'holder']);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Pay 300.00 USD');

    const before = posts.length;
    const navigation = page.waitForURL(`${origin}/checkout/pay`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // an impatient second press must not post again
    await navigation;
    const sent = posts.slice(before);
    expect(sent).toHaveLength(1);
    expect(Object.fromEntries(sent[0]!.form)).toEqual({
      data: TOKEN,
      _csrf: 'csrf-token-1',
      lang: 'en',
      cardNumber: '5555 5555 5555 4444',
      expiry: '12/30',
      cvc: '123',
      holder: 'Jane Doe',
      // What 3-D Secure 2 asks about the browser, measured by the page's script.
      colorDepth: expect.stringMatching(/^[0-9]+$/),
      screenHeight: expect.stringMatching(/^[0-9]+$/),
      screenWidth: expect.stringMatching(/^[0-9]+$/),
      timeZoneOffset: expect.stringMatching(/^-?[0-9]+$/),
    });
  });

  it('disables the Pay button once the form is sent, and lets no second submission through', async () => {
    const page = await open();
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Name on card').fill('Jane Doe');
    // Runs after the page's own submit handler (window is last in the bubble path); records what
    // that handler decided, then keeps the browser on the page so we can keep looking at it.
    await page.evaluate(() => {
      const seen: { prevented: boolean; disabled: boolean; label: string | null }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      window.addEventListener('submit', (event) => {
        const button = document.querySelector('button[type=submit]') as HTMLButtonElement;
        seen.push({ prevented: event.defaultPrevented, disabled: button.disabled, label: button.textContent });
        event.preventDefault();
      });
    });
    await page.getByRole('button', { name: 'Pay 300.00 USD' }).click();
    await page.evaluate(() => document.querySelector('form')?.requestSubmit()); // Enter in a field, say
    const seen = await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    expect(seen).toEqual([
      { prevented: false, disabled: true, label: 'Processing…' },
      { prevented: true, disabled: true, label: 'Processing…' },
    ]);
    await expect(page.locator('button[type=submit]').getAttribute('aria-busy')).resolves.toBe('true');
  });

  it('stops an incomplete form in the browser and focuses the first problem', async () => {
    const page = await open();
    const before = posts.length;
    await page.getByRole('button', { name: 'Pay 300.00 USD' }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('cardNumber');
    await expect(page.locator('#cardNumber-error').textContent()).resolves.toBe('Enter your card number.');
    await expect(page.locator('#holder-error').textContent()).resolves.toBe('Enter the name on the card.');
    expect(posts.length).toBe(before);
  });

  it('works without JavaScript: the form still posts to the server, which has the last word', async () => {
    const page = await open({ javaScriptEnabled: false, locale: 'hi-IN' });
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('hi');
    await page.getByLabel('कार्ड नंबर').fill('4242-4242-4242-4242');
    const before = posts.length;
    await Promise.all([page.waitForURL(`${origin}/checkout/pay`), page.getByRole('button', { name: '300.00 USD का भुगतान करें' }).click()]);
    expect(posts.length - before).toBe(1);
    expect(posts.at(-1)!.form.get('cardNumber')).toBe('4242-4242-4242-4242');
    expect(posts.at(-1)!.form.get('lang')).toBe('hi');
  });

  it('switches language through the links', async () => {
    const page = await open();
    await Promise.all([page.waitForURL(/lang=pt$/), page.getByRole('link', { name: 'Português' }).click()]);
    await expect(page.getByLabel('Número do cartão').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Pagar 300.00 USD' }).isVisible()).resolves.toBe(true);
  });

  it('fits a phone screen', async () => {
    const page = await open({ viewport: { width: 390, height: 844 }, mobile: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const box = await page.getByLabel('Card number').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: new URL('cashier-page-mobile.png', DOCS).pathname, fullPage: true });
  });
});
