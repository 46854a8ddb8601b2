import { checkoutFields, signedBody, type TestMerchant } from './test-gateway.ts';

/**
 * A merchant and a customer over real HTTP against `payrail start` processes: signed API calls,
 * and the cashier's form (its CSRF cookie and token) as a browser posts it. Every answer is
 * sorted: an envelope or a page is an answer, anything else (a 500, a hang, not JSON) a problem.
 */
export interface Answered {
  readonly ms: number;
  readonly status?: number;
  /** The API's business code. */
  readonly code?: string;
  readonly body?: Record<string, unknown>;
  /** The cashier page's text. */
  readonly html?: string;
  /** Set when the answer is not one a client can act on. */
  readonly problem?: string;
}

const TIMEOUT_MS = 15_000;

export async function callApi(base: string, path: string, merchant: TestMerchant, fields: Record<string, string>): Promise<Answered> {
  const started = Date.now();
  try {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
      body: JSON.stringify(signedBody(fields, merchant.appSecret)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    const ms = Date.now() - started;
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (typeof body.code !== 'string' || typeof body.msg !== 'string') return { ms, status: response.status, problem: `not an envelope: ${text.slice(0, 200)}` };
      return { ms, status: response.status, code: body.code, body };
    } catch {
      return { ms, status: response.status, problem: `not JSON: ${text.slice(0, 200)}` };
    }
  } catch (error) {
    return { ms: Date.now() - started, problem: `no answer: ${(error as Error).message}` };
  }
}

/** Creates an order; `tradeNo` is the merchant's number whatever the answer. */
export async function createOrder(base: string, merchant: TestMerchant, overrides: Record<string, string> = {}) {
  const fields = checkoutFields(overrides) as Record<string, string>;
  const answer = await callApi(base, '/v1/checkout', merchant, fields);
  const data = answer.body?.data as { paymentUrl?: string } | undefined;
  const token = data?.paymentUrl ? new URL(data.paymentUrl).searchParams.get('data') : null;
  return { ...answer, tradeNo: fields.tradeNo!, token };
}

async function page(url: string, init: RequestInit = {}): Promise<Answered & { cookie?: string }> {
  const started = Date.now();
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const html = await response.text();
    const ms = Date.now() - started;
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('payrail_csrf='))?.split(';')[0];
    if (response.status >= 500 && response.status !== 503) return { ms, status: response.status, problem: `status ${response.status}: ${html.slice(0, 200)}` };
    if (!(response.headers.get('content-type') ?? '').includes('text/html')) return { ms, status: response.status, problem: `not a page: ${html.slice(0, 200)}` };
    return { ms, status: response.status, html, cookie };
  } catch (error) {
    return { ms: Date.now() - started, problem: `no answer: ${(error as Error).message}` };
  }
}

/** Opens the payment page and pays with `cardNumber` as a browser would; answers the last page. */
export async function payOrder(base: string, token: string, cardNumber = '4242424242424242'): Promise<Answered> {
  const opened = await page(`${base}/checkout?data=${token}`);
  if (opened.problem || opened.status !== 200) return opened;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(opened.html!)?.[1];
  if (!csrf || !opened.cookie) return { ...opened, problem: 'the payment page has no form' };
  const form = new URLSearchParams({ data: token, _csrf: csrf, lang: 'en', cardNumber, expiry: '12/34', cvc: '123', holder: 'Ada Lovelace' });
  const paid = await page(`${base}/checkout/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: opened.cookie },
    body: form.toString(),
  });
  return { ...paid, ms: opened.ms + paid.ms };
}

/** The cashier's answers a customer can act on: paid, or asked to try again in a moment. */
export const paidPage = (answer: Answered) => answer.status === 200 && (answer.html ?? '').includes('Payment successful');
export const tryAgainPage = (answer: Answered) => answer.status === 503 && (answer.html ?? '').includes('Try again in a moment');
