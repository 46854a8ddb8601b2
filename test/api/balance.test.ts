import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { unbalancedPostings } from '../../src/store/ledger/ledger-balances.ts';

describeEachDatabase('balance and ledger', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const payAs = async (merchant: TestMerchant, amount: string) => {
    const customer = await CashierClient.forNewOrder(t, { amount }, merchant);
    await customer.open();
    await customer.pay('4242424242424242');
    return customer;
  };
  const balanceOf = async (merchant: TestMerchant, path = '/v1/balance') => (await t.post(path, {}, { merchant })).body.data;
  let refunds = 0;

  it('credits a payment net of the fee as unsettled, settles it to available, and debits refunds', async () => {
    const merchant = await t.addMerchant({ feeBps: 290 });
    expect(await balanceOf(merchant)).toEqual({ availableAmount: '0.00', unsettledAmount: '0.00', freezeAmount: '0.00', currency: 'USD' });
    const order = await payAs(merchant, '100.00');
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '0.00', unsettledAmount: '97.10' });

    await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: `R${++refunds}`, amount: '10.00' }, { merchant });
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '0.00', unsettledAmount: '87.10' });

    await settlePayments(t.gateway.context.db, 0);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '87.10', unsettledAmount: '0.00' });

    await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: `R${++refunds}`, amount: '5.00' }, { merchant });
    expect(await balanceOf(merchant, '/v1/someprovider/queryBalance')).toMatchObject({ availableAmount: '82.10', unsettledAmount: '0.00' });
    expect(await unbalancedPostings(t.gateway.context.db)).toEqual([]);
  });

  it('settles each payment once, even when settlement runs twice at the same time', async () => {
    const merchant = await t.addMerchant({ feeBps: 0 });
    await payAs(merchant, '10.00');
    await payAs(merchant, '20.00');
    const [one, two] = await Promise.all([settlePayments(t.gateway.context.db, 0), settlePayments(t.gateway.context.db, 0)]);
    expect(one + two).toBeGreaterThanOrEqual(2);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '30.00', unsettledAmount: '0.00' });
  });

  it('keeps every posting balanced and balances equal to payments less fees and refunds, whatever the sequence', async () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('pay' as const), cents: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ op: fc.constant('refund' as const), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
      fc.constant({ op: 'settle' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.array(step, { minLength: 1, maxLength: 6 }), async (feeBps, steps) => {
        const merchant = await t.addMerchant({ feeBps });
        let expected = 0;
        const paid: { tradeNo: string; left: number; settled: boolean }[] = [];
        for (const s of steps) {
          if (s.op === 'pay') {
            const order = await payAs(merchant, (s.cents / 100).toFixed(2));
            expected += s.cents - Math.floor((s.cents * feeBps + 5000) / 10000);
            paid.push({ tradeNo: order.tradeNo, left: s.cents, settled: false });
          } else if (s.op === 'refund' && paid.length > 0 && paid[0]!.left > 0) {
            const target = paid[0]!;
            const amount = Math.max(1, Math.floor(target.left * s.share));
            const available = Math.round(Number((await balanceOf(merchant)).availableAmount) * 100);
            const answer = await t.post('/v1/refund', { tradeNo: target.tradeNo, refundNo: `P${++refunds}`, amount: (amount / 100).toFixed(2) }, { merchant });
            // A settled payment is refunded from the available balance, and never takes it below zero.
            if (target.settled && amount > available) {
              expect(answer.body.code).toBe('8011');
              continue;
            }
            expect(answer.body.code).toBe('0000');
            target.left -= amount;
            expected -= amount;
          } else if (s.op === 'settle') {
            await settlePayments(t.gateway.context.db, 0);
            for (const order of paid) order.settled = true;
          }
        }
        const balance = await balanceOf(merchant);
        const total = Math.round(Number(balance.availableAmount) * 100) + Math.round(Number(balance.unsettledAmount) * 100);
        expect(total).toBe(expected);
        expect(await unbalancedPostings(t.gateway.context.db)).toEqual([]);
      }),
      { numRuns: 6 },
    );
  });
});
