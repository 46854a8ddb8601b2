import { BusinessCode } from '../../src/domain/errors.ts';
import { merchantHeaders, signedJson } from '../merchant-request.ts';
import { eventKey, type ChaosMerchant } from './merchant-endpoint.ts';
import { sleep } from '../stats.ts';

/** The sentinel card data: found anywhere at rest or in a log, the run fails. */
export const SENTINEL_PAN = '4242424242424242';
export const SENTINEL_CVC = '919';

/** Approved twice as often as the rest; declined, challenged-then-timing-out and erroring cards besides. */
const CARDS = [SENTINEL_PAN, SENTINEL_PAN, '5555555555554444', '4000000000000002', '4000000000003063', '4000000000000119'];

export interface Traffic {
  /** platFormTradeNo of every order answered 0000 at create. */
  readonly orders: Set<string>;
  /** Event keys of every order, refund and payout the gateway accepted (answered 0000): each must end in a notification. */
  readonly awaited: Set<string>;
}

export interface CustomerOptions {
  nodeUrl: () => string;
  merchants: readonly ChaosMerchant[];
  notifyUrl: (merchant: ChaosMerchant) => string;
  random: () => number;
  running: () => boolean;
}

const pick = <T>(items: readonly T[], random: () => number) => items[Math.floor(random() * items.length)]!;

/**
 * One customer and its merchant, until `running()` is false: create an order at either merchant on
 * any node, and mostly pay it on any node; now and then close it, refund it (in part) once paid,
 * or have the merchant pay out to a card. Any failure (a node killed under it) just starts over.
 */
export async function customer(options: CustomerOptions, traffic: Traffic): Promise<void> {
  const { random } = options;
  let counter = 0;
  const post = async (merchant: ChaosMerchant, path: string, fields: Record<string, string>) => {
    const response = await fetch(`${options.nodeUrl()}${path}`, { method: 'POST', headers: merchantHeaders(merchant), body: signedJson(merchant, fields) });
    return (await response.json()) as { code: string; data?: Record<string, string> };
  };
  while (options.running()) {
    const merchant = pick(options.merchants, random);
    const tradeNo = `C${Date.now()}${Math.floor(random() * 1e9)}${(counter += 1)}`;
    try {
      const answer = await post(merchant, '/v1/checkout', {
        tradeNo,
        amount: (1 + Math.floor(random() * 50_000) / 100).toFixed(2),
        mobile: '15550100',
        email: 'buyer@example.com',
        userId: 'chaos',
        currency: 'USD',
        notifyUrl: options.notifyUrl(merchant),
        returnUrl: 'https://shop.example/return',
      });
      if (answer.code !== BusinessCode.Success || !answer.data) continue;
      const platFormTradeNo = answer.data.platFormTradeNo!;
      traffic.orders.add(platFormTradeNo);
      traffic.awaited.add(eventKey('PAYMENT', platFormTradeNo));
      if (random() < 0.15) continue; // left unpaid: it expires at the end
      const payNode = options.nodeUrl();
      const token = new URL(answer.data.paymentUrl!).searchParams.get('data')!;
      const page = await fetch(`${payNode}/checkout?data=${token}`);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const paid = await fetch(`${payNode}/checkout/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ data: token, _csrf: csrf, lang: 'en', cardNumber: pick(CARDS, random), expiry: '12/34', cvc: SENTINEL_CVC, holder: 'Chaos Customer' }),
      });
      await paid.text();
      const roll = random();
      if (roll < 0.1) {
        await post(merchant, '/v1/checkout/close', { tradeNo });
      } else if (roll < 0.25) {
        const refundNo = `R${tradeNo}`;
        const refund = await post(merchant, '/v1/refund', { tradeNo, refundNo, amount: '1.00' });
        if (refund.code === BusinessCode.Success) traffic.awaited.add(eventKey('REFUND', platFormTradeNo, refundNo));
      } else if (roll < 0.3) {
        const payout = await post(merchant, '/v1/payout', {
          tradeNo: `P${tradeNo}`,
          amount: '1.00',
          currency: 'USD',
          customerName: 'Chaos Payee',
          customerAccountType: 'DebitCard',
          customerAccount: SENTINEL_PAN,
          notifyUrl: options.notifyUrl(merchant),
        });
        if (payout.code === BusinessCode.Success && payout.data) traffic.awaited.add(eventKey('PAYOUT', payout.data.platFormTradeNo!));
      }
    } catch {
      await sleep(50); // the node was killed under us; the next loop picks again
    }
  }
}
