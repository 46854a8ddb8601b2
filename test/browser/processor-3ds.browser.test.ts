/**
 * 3-D Secure at a processor, in Chromium: the cashier sends the browser to the processor's page
 * (a local Stripe and a local Adyen), the customer passes or fails there, and the processor sends
 * the browser back to the cashier's return URL, which finishes the sale and shows the result.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres-server.ts';
import { checkoutFields, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { launchChromium } from '../support/chromium.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { startFakeAdyen, type FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { updateMerchant } from '../../src/store/merchants.ts';

describe('3-D Secure by redirect to a processor, in Chromium [pglite]', () => {
  let browser: Browser;
  let stripe: FakeStripe;
  let adyen: FakeAdyen;
  let t: TestGateway;
  let origin = '';

  beforeAll(async () => {
    browser = await launchChromium();
    stripe = await startFakeStripe();
    adyen = await startFakeAdyen({ apiKey: 'test-key', merchantAccount: 'PayrailECOM' });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await startTestGateway(
      'pglite',
      { PUBLIC_URL: origin, ACQUIRER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_URL: stripe.url, ADYEN_API_KEY: 'test-key', ADYEN_MERCHANT_ACCOUNT: 'PayrailECOM', ADYEN_CHECKOUT_URL: adyen.checkoutUrl },
      { configuredAcquirers: true },
    );
    await t.gateway.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stripe?.close();
    await adyen?.close();
  });

  async function checkout(javaScriptEnabled: boolean) {
    const fields = checkoutFields({ returnUrl: `${origin}/demo/return`, notifyUrl: `${origin}/demo/notify` });
    const { body } = await t.post('/v1/checkout', fields);
    const context = await browser.newContext({ javaScriptEnabled, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(body.data.paymentUrl);
    return { page, close: () => context.close(), tradeNo: fields.tradeNo as string, orderNo: body.data.platFormTradeNo as string };
  }

  async function payWith(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVC').fill('737');
    await page.getByLabel('Name on card').fill('Ada Lovelace');
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/checkout/pay');
    await page.getByRole('button', { name: /^Pay / }).click();
    return answered;
  }

  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;

  it('Stripe: the page goes on to Stripe by itself, the customer passes, and the cashier shows the receipt', async () => {
    const customer = await checkout(true);
    const answer = await payWith(customer.page, '4000 0000 0000 3220');
    // The page that leaves for the processor allows forms to go there, and only there.
    expect(answer.headers()['content-security-policy']).toContain(`form-action 'self' ${stripe.url}`);
    await customer.page.getByRole('button', { name: 'Complete authentication' }).click();
    await customer.page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(new URL(customer.page.url()).pathname).toBe('/checkout/return');
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    await customer.close();
  });

  it('Stripe: a failed authentication comes back as "could not verify", and the order stays payable', async () => {
    const customer = await checkout(true);
    await payWith(customer.page, '4000 0000 0000 3220');
    await customer.page.getByRole('button', { name: 'Fail authentication' }).click();
    await customer.page.getByText('Your bank could not verify this payment').waitFor();
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
    await customer.close();
  });

  it('Adyen, without JavaScript: a button takes the customer there; browserInfo and shopperIP went with the sale', async () => {
    await updateMerchant(t.gateway.context.db, t.merchant.merchantNo, { acquirers: ['adyen'] });
    t.gateway.context.merchants.forget(t.merchant.merchantNo);
    try {
      const customer = await checkout(false);
      await payWith(customer.page, '4917 6100 0000 0000');
      await customer.page.getByRole('button', { name: 'Continue to your bank' }).click();
      await customer.page.getByLabel('Password').fill('password');
      await customer.page.getByRole('button', { name: 'Continue' }).click();
      await customer.page.getByRole('heading', { name: 'Payment successful' }).waitFor();
      expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
      const [attempt] = await t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', customer.orderNo).execute();
      expect(attempt).toMatchObject({ acquirer: 'adyen', status: 'approved' });
      expect(adyen.payment(attempt!.id)!.request).toMatchObject({
        shopperIP: '127.0.0.1',
        returnUrl: expect.stringContaining(`${origin}/checkout/return?data=`),
        browserInfo: { userAgent: expect.stringContaining('Chrome'), acceptHeader: expect.stringContaining('text/html'), language: expect.stringMatching(/^en/) },
      });
      await customer.close();
    } finally {
      await updateMerchant(t.gateway.context.db, t.merchant.merchantNo, { acquirers: [] });
      t.gateway.context.merchants.forget(t.merchant.merchantNo);
    }
  });
});
