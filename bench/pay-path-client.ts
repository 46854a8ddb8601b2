import { checkoutFields, merchantHeaders, signedJson, type BenchMerchant } from './merchant-request.ts';

/** What a customer brings to the cashier page: a card number and, for distinct customers, an address of their own. */
export interface Customer {
  cardNumber: string;
  /** X-Forwarded-For, for a gateway that trusts it; none: every customer comes from 127.0.0.1. */
  address?: string;
}

/** A Luhn-valid Visa number the simulator approves (any number not in its test-card table). */
export function randomVisa(): string {
  const digits = [4, ...Array.from({ length: 14 }, () => Math.floor(Math.random() * 10))];
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let digit = digits[14 - i]!;
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

export const ONE_CARD: Customer = { cardNumber: '4242424242424242' };

/** A card and an address of its own, as distinct customers have. */
export const distinctCustomer = (): Customer => ({
  cardNumber: randomVisa(),
  address: `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`,
});

/** Creates an order and answers its payment token (the `data` of its paymentUrl) and platFormTradeNo. */
export async function createOrder(baseUrl: string, merchant: BenchMerchant): Promise<{ token: string; orderNo: string }> {
  const created = await fetch(`${baseUrl}/v1/checkout`, { method: 'POST', headers: merchantHeaders(merchant), body: signedJson(merchant, checkoutFields()) });
  const answer = (await created.json()) as { code: string; data?: { paymentUrl: string; platFormTradeNo: string } };
  if (answer.code !== '0000' || !answer.data) throw new Error(`create: HTTP ${created.status} code ${answer.code}`);
  return { token: new URL(answer.data.paymentUrl).searchParams.get('data')!, orderNo: answer.data.platFormTradeNo };
}

/**
 * The customer's path on an order created beforehand: GET the payment page (its CSRF cookie and
 * token), POST the card form, read the receipt. Answers the POST's duration; throws unless the
 * receipt names the order. Works against the gateway and the pay-path floor alike.
 */
export async function payOrder(baseUrl: string, order: { token: string; orderNo: string }, customer: Customer): Promise<number> {
  const headers: Record<string, string> = customer.address ? { 'x-forwarded-for': customer.address } : {};
  const page = await fetch(`${baseUrl}/checkout?data=${order.token}`, { headers });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().find((value) => value.startsWith('payrail_csrf='))?.split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !cookie || !csrf) throw new Error(`page: HTTP ${page.status}, cookie ${Boolean(cookie)}, csrf ${Boolean(csrf)}`);
  const started = performance.now();
  const paid = await fetch(`${baseUrl}/checkout/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
    body: new URLSearchParams({ data: order.token, _csrf: csrf, lang: 'en', cardNumber: customer.cardNumber, expiry: '12/34', cvc: '123', holder: 'Ada Lovelace' }).toString(),
  });
  const receipt = await paid.text();
  const postMs = performance.now() - started;
  if (paid.status !== 200 || !receipt.includes('class="ok"') || !receipt.includes(order.orderNo)) throw new Error(`pay: HTTP ${paid.status}, no receipt for ${order.orderNo}`);
  return postMs;
}
