import fs from 'node:fs';
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { computeSign } from '../../src/sdk/index.ts';

const source = fs.readFileSync('src/api/docs-sign-helper.js', 'utf8');

describe('the sign helper of /docs', () => {
  const page: Record<string, any> = {};
  vm.runInNewContext(source, { window: page, TextEncoder, location: { href: 'http://gateway.test/docs' }, URL });

  it('computes MD5 and the sign string as the gateway does', () => {
    expect(page.payrailMd5('a=1b=2s3cr3t')).toBe('2b23dcb025e26406f99343498b21fdd6');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(page.payrailMd5(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
      }),
    );
    const body = { tradeNo: 'T-1', amount: '1.50', n: 12, ok: true, empty: '', gone: null };
    expect(page.payrailSignString(body)).toBe('amount=1.50n=12ok=truetradeNo=T-1');
  });

  it('signs only POSTs to /v1/, and only once both fields are typed', () => {
    const request = { method: 'POST', url: 'http://gateway.test/v1/balance', headers: {}, body: '{"timestamp":"1","sign":"x"}' };
    expect(page.payrailSignRequest({ ...request })).toEqual(request);
    expect(page.payrailSignRequest({ ...request, url: 'http://gateway.test/docs/json' }).body).toBe(request.body);
  });
});

describe('/docs "Try it out" in Chromium, signed by the page', () => {
  let t: TestGateway;
  let browser: Browser;
  let origin = '';

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends the balance call with the typed merchantNo and a valid sign, under the strict CSP, and stores nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const sent: Array<{ headers: Record<string, string>; body: string }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/balance')) sent.push({ headers: request.headers(), body: request.postData() ?? '' });
    });

    await page.goto(`${origin}/docs`);
    const helper = page.getByRole('form', { name: 'Sign requests' });
    await helper.getByLabel('merchantNo').fill(t.merchant.merchantNo);
    await helper.getByLabel('App secret').fill(t.merchant.appSecret);

    const operation = page.locator('#operations-Balance-balance');
    await operation.locator('.opblock-summary').first().click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    await operation.locator('.live-responses-table .response-col_description pre').first().waitFor();
    const answer = await operation.locator('.live-responses-table .response-col_description pre').first().innerText();
    expect(JSON.parse(answer)).toMatchObject({ code: '0000', data: { currency: 'USD' } });

    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.merchantno).toBe(t.merchant.merchantNo);
    const body = JSON.parse(sent[0]!.body);
    expect(Math.abs(Number(body.timestamp) - Date.now())).toBeLessThan(60_000);
    expect(body.sign).toBe(computeSign(body, t.merchant.appSecret));

    expect(violations).toEqual([]);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(t.merchant.appSecret);
    expect((await context.cookies()).map((c) => c.value).join()).not.toContain(t.merchant.appSecret);
    await context.close();
  }, 90_000);
});
