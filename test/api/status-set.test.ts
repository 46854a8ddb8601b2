import { afterAll, beforeAll, expect, it } from 'vitest';
import { signBody } from '../../src/domain/signature.ts';
import type { StatusSet } from '../../src/domain/order-status.ts';
import { expireOrders } from '../../src/store/orders.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';

/**
 * docs/api.md, "Status set per merchant": a `family` merchant learns that an expired, closed or
 * failed order is over as 00029 (desc EXPIRED, CLOSED or FAILED: <reason>) in every answer,
 * notification and return URL; an `extended` merchant sees 00030 and 00031. Storage keeps the
 * exact state either way.
 */
const EXPECTED: Record<StatusSet, Record<'expired' | 'closed' | 'failed', string>> = {
  family: { expired: '00029', closed: '00029', failed: '00029' },
  extended: { expired: '00030', closed: '00031', failed: '00029' },
};
const STORED = { expired: '00030', closed: '00031', failed: '00029' };
const DESC = { expired: /^EXPIRED$/, closed: /^CLOSED$/, failed: /^FAILED: DO_NOT_HONOR$/ };

describeEachDatabase('status set per merchant', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    t = await startTestGateway(kind, { MAX_ATTEMPTS: 1 });
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 50, sweepEveryMs: 60_000 });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Ends a fresh order of `merchant` the given way; what the close answered, if it was a close. */
  async function endOrder(merchant: TestMerchant, how: 'expired' | 'closed' | 'failed') {
    const cashier = await CashierClient.forNewOrder(t, { notifyUrl: `${receiver.url}/notify`, returnUrl: 'https://merchant.example/return?cart=7' }, merchant);
    let closeAnswer: { status: string; desc: string } | undefined;
    if (how === 'closed') {
      closeAnswer = (await t.post('/v1/checkout/close', { tradeNo: cashier.tradeNo }, { merchant })).body.data;
    } else if (how === 'expired') {
      await t.gateway.context.db.updateTable('orders').set({ expires_at: new Date(Date.now() - 1_000) }).where('plat_form_trade_no', '=', cashier.platFormTradeNo).execute();
      expect(await expireOrders(t.gateway.context.db)).toContain(cashier.platFormTradeNo);
    } else {
      await cashier.open();
      await cashier.pay('4000000000000002');
    }
    return { cashier, closeAnswer };
  }

  for (const set of ['family', 'extended'] as const) {
    for (const how of ['expired', 'closed', 'failed'] as const) {
      it(`a ${set} merchant sees a ${how} order as ${EXPECTED[set][how]} in query, alias query, notification and return URL`, async () => {
        const merchant = await t.addMerchant({ name: `${set} store`, statusSet: set });
        const { cashier, closeAnswer } = await endOrder(merchant, how);
        const expected = EXPECTED[set][how];

        const stored = await t.gateway.context.db.selectFrom('orders').select(['status', 'status_desc']).where('plat_form_trade_no', '=', cashier.platFormTradeNo).executeTakeFirstOrThrow();
        expect(stored.status).toBe(STORED[how]);

        if (closeAnswer) expect(closeAnswer).toMatchObject({ status: expected, desc: 'CLOSED' });
        for (const path of ['/v1/checkout/query', '/v1/family-provider/queryPayInResult']) {
          const { body } = await t.post(path, { tradeNo: cashier.tradeNo }, { merchant });
          expect(body.code).toBe('0000');
          expect(body.data.status, path).toBe(expected);
          expect(body.data.desc).toMatch(DESC[how]);
          expect(body.data.message).toMatch(DESC[how]);
        }
        // Creating the same order again answers it as it stands now, in the same set.
        const again = await t.post('/v1/checkout', { ...checkoutFields(), tradeNo: cashier.tradeNo }, { merchant });
        if (again.body.code === '0000') expect(again.body.data.status).toBe(expected);

        const notification = await until(() => receiver.received.find((r) => r.body.platFormTradeNo === cashier.platFormTradeNo));
        expect(notification.body).toMatchObject({ notifyType: 'PAYMENT', status: expected });
        expect(notification.body.message).toMatch(DESC[how]);

        const page = await cashier.open();
        expect(page.status).toBe(410);
        const href = /<a class="btn" href="([^"]+)"/.exec(page.html)?.[1];
        expect(href, page.html).toBeDefined();
        const returned = new URL(href!.replaceAll('&amp;', '&'));
        expect(returned.origin + returned.pathname).toBe('https://merchant.example/return');
        const params = Object.fromEntries(returned.searchParams);
        expect(params).toMatchObject({ cart: '7', tradeNo: cashier.tradeNo, platFormTradeNo: cashier.platFormTradeNo, status: expected });
        const { sign, cart: _cart, ...signed } = params;
        expect(sign).toBe(signBody(signed, merchant.appSecret, { signType: 'MD5', placement: 'suffix' }));
      });
    }
  }

  it('switching a merchant to extended changes what it is told, not what is stored', async () => {
    const merchant = await t.addMerchant({ name: 'switching store' });
    const { cashier } = await endOrder(merchant, 'closed');
    const query = async () => (await t.post('/v1/checkout/query', { tradeNo: cashier.tradeNo }, { merchant })).body.data.status;
    expect(await query()).toBe('00029');
    await t.gateway.context.db.updateTable('merchants').set({ status_set: 'extended' }).where('merchant_no', '=', merchant.merchantNo).execute();
    t.gateway.context.merchants.forget(merchant.merchantNo);
    expect(await query()).toBe('00031');
  });
});
