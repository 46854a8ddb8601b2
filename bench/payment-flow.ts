import { performance } from 'node:perf_hooks';
import { BusinessCode } from '../src/domain/errors.ts';
import { checkoutFields, merchantHeaders, signedJson, type BenchMerchant } from './merchant-request.ts';
import { randomVisa } from './pay-path-client.ts';

export interface FlowOptions {
  customers: number;
  warmupSeconds: number;
  seconds: number;
  /** Where the orders' notifications go; a name that never answers unless given. */
  notifyUrl?: string;
  /**
   * Each payment with its own card number and client address (X-Forwarded-For; the gateway must
   * trust it), as real customers are; otherwise all pay with 4242… from 127.0.0.1, and the
   * card-testing caps count them all against one card and one address.
   */
  distinctCustomers?: boolean;
}

export interface FlowResult {
  seconds: number;
  paid: number;
  failed: number;
  /** The first few failures, to say what went wrong. */
  failures: string[];
  durationsMs: number[];
}

const TEST_CARD = { cardNumber: '4242424242424242', expiry: '12/34', cvc: '123', holder: 'Ada Lovelace' };

/**
 * One whole payment as merchant and customer make it: create the checkout, open the payment page
 * (its CSRF cookie and token), post the card form, and get the receipt. Throws when any step
 * does not answer as a successful payment would.
 */
async function payOnce(baseUrl: string, merchant: BenchMerchant, notifyUrl: string | undefined, distinct = false) {
  const fields = checkoutFields(notifyUrl ? { notifyUrl } : {});
  const customer: Record<string, string> = distinct ? { 'x-forwarded-for': `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}` } : {};
  const card = distinct ? { ...TEST_CARD, cardNumber: randomVisa() } : TEST_CARD;
  const created = await fetch(`${baseUrl}/v1/checkout`, { method: 'POST', headers: merchantHeaders(merchant), body: signedJson(merchant, fields) });
  const answer = (await created.json()) as { code: string; data?: { paymentUrl: string; platFormTradeNo: string } };
  if (answer.code !== BusinessCode.Success || !answer.data) throw new Error(`create: HTTP ${created.status} code ${answer.code}`);
  const token = new URL(answer.data.paymentUrl).searchParams.get('data')!;

  const page = await fetch(`${baseUrl}/checkout?data=${token}`, { headers: customer });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().find((value) => value.startsWith('payrail_csrf='))?.split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !cookie || !csrf) throw new Error(`page: HTTP ${page.status}, cookie ${Boolean(cookie)}, csrf ${Boolean(csrf)}`);

  const paid = await fetch(`${baseUrl}/checkout/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...customer },
    body: new URLSearchParams({ data: token, _csrf: csrf, lang: 'en', ...card }).toString(),
  });
  const receipt = await paid.text();
  if (paid.status !== 200 || !receipt.includes('class="ok"') || !receipt.includes(answer.data.platFormTradeNo)) {
    throw new Error(`pay: HTTP ${paid.status}, no receipt for ${answer.data.platFormTradeNo}`);
  }
}

/** `customers` virtual customers paying one order after another; payments finished inside the measured window count. */
export async function runPaymentFlow(baseUrl: string, merchant: BenchMerchant, options: FlowOptions, onMeasuring: () => void = () => {}): Promise<FlowResult> {
  const warmEnd = performance.now() + options.warmupSeconds * 1000;
  setTimeout(onMeasuring, options.warmupSeconds * 1000);
  const end = warmEnd + options.seconds * 1000;
  const result: FlowResult = { seconds: options.seconds, paid: 0, failed: 0, failures: [], durationsMs: [] };

  const customer = async () => {
    for (let started = performance.now(); started < end; started = performance.now()) {
      try {
        await payOnce(baseUrl, merchant, options.notifyUrl, options.distinctCustomers);
        const finished = performance.now();
        if (finished >= warmEnd && finished <= end) {
          result.paid += 1;
          result.durationsMs.push(finished - started);
        }
      } catch (error) {
        if (performance.now() >= warmEnd) {
          result.failed += 1;
          if (result.failures.length < 5) result.failures.push((error as Error).message);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.customers }, customer));
  return result;
}
