import type { TestGateway, TestMerchant } from './test-gateway.ts';
import { checkoutFields } from './test-gateway.ts';
import { startAttempt } from '../../src/store/attempts.ts';

/**
 * A customer without a browser: opens the payment page, keeps its CSRF cookie and token, and
 * posts the card form as the page would.
 */
export class CashierClient {
  cookie = '';
  csrf = '';
  /** The client address the gateway sees (card-testing caps count per address). */
  remoteAddress = '127.0.0.1';
  constructor(
    private readonly t: TestGateway,
    readonly token: string,
  ) {}

  static async forNewOrder(t: TestGateway, overrides: Record<string, string> = {}, merchant?: TestMerchant) {
    const fields = checkoutFields(overrides);
    const { body } = await t.post('/v1/checkout', fields, { merchant });
    const token = new URL(body.data.paymentUrl).searchParams.get('data')!;
    const client = new CashierClient(t, token);
    return Object.assign(client, { tradeNo: fields.tradeNo as string, platFormTradeNo: body.data.platFormTradeNo as string });
  }

  /**
   * Records an attempt on this order as the card's POST does before it calls the acquirer (the
   * store's startAttempt: a Visa ending 4242, no client address, caps no test reaches) and calls
   * nothing: for tests of what settles an attempt in flight.
   */
  async startAttemptInStore(fingerprint: string) {
    const start = await startAttempt(this.t.gateway.context.db, this.token, { brand: 'visa', bin: '424242', last4: '4242', fingerprint, clientIp: null }, new Date(0), new Date(), { cardPerDay: 100, ipPerHour: 100 });
    if (!start.started) throw new Error('attempt did not start');
    return start;
  }

  private remember(response: { headers: Record<string, unknown>; body: string }) {
    const setCookie = response.headers['set-cookie'];
    const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
    for (const value of cookies) if (value.startsWith('payrail_csrf=')) this.cookie = value.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (csrf) this.csrf = csrf[1]!;
  }

  async open(query = '') {
    const response = await this.t.gateway.app.inject({ method: 'GET', url: `/checkout?data=${this.token}${query}`, remoteAddress: this.remoteAddress });
    this.remember(response);
    return { status: response.statusCode, html: response.body, headers: response.headers };
  }

  async post(path: string, form: Record<string, string>) {
    const response = await this.t.gateway.app.inject({
      method: 'POST',
      url: path,
      remoteAddress: this.remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie },
      payload: new URLSearchParams({ data: this.token, _csrf: this.csrf, lang: 'en', ...form }).toString(),
    });
    this.remember(response);
    return { status: response.statusCode, html: response.body };
  }

  pay(cardNumber: string, extra: Record<string, string> = {}) {
    return this.post('/checkout/pay', { cardNumber, expiry: '12/34', cvc: '123', holder: 'Ada Lovelace', ...extra });
  }

  challengeId(html: string) {
    return /name="challengeId" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }

  /** Posts the challenge form as a browser would: its hidden fields (name, expiry, …) and the code. */
  answerChallenge(html: string, code: string) {
    const hidden = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(holder|expiry)" value="([^"]*)">/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)]),
    );
    return this.post('/checkout/3ds', { ...hidden, challengeId: this.challengeId(html), code });
  }
}

const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" })[entity]!);
