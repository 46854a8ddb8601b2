import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signBody, type WireBody } from '../domain/signature.ts';
import { OrderStatus, wireStatus } from '../domain/order-status.ts';
import type { OrderRow } from '../store/orders.ts';
import { signedReturnUrl } from './return-url.ts';

const signing = { secret: 'app-secret', placement: 'suffix', signType: 'MD5' } as const;

/** The URL as it was built before the query was written back once: one `set` on the URL per field. */
function setOneByOne(order: OrderRow, now: Date): string {
  const fields: WireBody = { tradeNo: order.trade_no, platFormTradeNo: order.plat_form_trade_no, status: wireStatus(order.status, 'family'), timestamp: String(now.getTime()) };
  const url = new URL(order.return_url);
  for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value as string);
  url.searchParams.set('sign', signBody(fields, signing.secret, signing));
  return url.toString();
}

describe('signedReturnUrl', () => {
  it('answers the same URL as setting each field on the URL, whatever the merchant put in its returnUrl', () => {
    const returnUrl = fc.tuple(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.array(fc.tuple(fc.constantFrom('tradeNo', 'sign', 'status', 'a', 'x y'), fc.string()), { maxLength: 3 }),
    ).map(([base, extra]) => {
      const url = new URL(base);
      for (const [key, value] of extra) url.searchParams.append(key, value);
      return url.toString();
    });
    fc.assert(
      fc.property(returnUrl, fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), fc.constantFrom(...Object.values(OrderStatus)), (url, tradeNo, status) => {
        const order = { return_url: url, trade_no: tradeNo, plat_form_trade_no: 'p1234567890', status } as unknown as OrderRow;
        const now = new Date(1_796_000_000_000);
        expect(signedReturnUrl(order, signing, now, 'family')).toBe(setOneByOne(order, now));
      }),
    );
  });
});
