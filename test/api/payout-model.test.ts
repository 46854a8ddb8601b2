import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { payoutFields } from '../support/payouts.ts';
import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';

/**
 * A model of one merchant's money under random payments, settlements, refunds and racing
 * payouts: after every step the gateway's balances equal the model's, the available balance is
 * never below zero, and `checkLedger` finds nothing wrong.
 */
describeEachDatabase('payouts against a model of the ledger', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const cents = (amount: string) => Math.round(Number(amount) * 100);
  const money = (value: number) => (value / 100).toFixed(2);
  let refunds = 0;

  const step = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('pay' as const), cents: fc.integer({ min: 1, max: 20_000 }) }), weight: 3 },
    { arbitrary: fc.constant({ op: 'settle' as const }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('refund' as const), order: fc.nat(), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }), weight: 2 },
    {
      arbitrary: fc.record({
        op: fc.constant('payouts' as const),
        racing: fc.array(fc.record({ cents: fc.integer({ min: 1, max: 15_000 }), fails: fc.boolean() }), { minLength: 1, maxLength: 5 }),
      }),
      weight: 4,
    },
  );
  // Across all runs, so the test shows it reached the interesting cases.
  const seen = { paid: 0, failed: 0, refused: 0 };

  it('keeps balances equal to the model, available never below zero, and the ledger checking clean', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.array(step, { minLength: 4, maxLength: 10 }), async (payoutFee, steps) => {
        const merchant: TestMerchant = await t.addMerchant({ feeBps: 0, payoutFeeCents: payoutFee });
        const model = { pending: 0, available: 0 };
        const orders: { tradeNo: string; left: number; settled: boolean }[] = [];
        for (const s of steps) {
          if (s.op === 'pay') {
            const customer = await CashierClient.forNewOrder(t, { amount: money(s.cents) }, merchant);
            await customer.open();
            await customer.pay('4242424242424242');
            orders.push({ tradeNo: customer.tradeNo, left: s.cents, settled: false });
            model.pending += s.cents;
          } else if (s.op === 'settle') {
            await settlePayments(t.gateway.context.db, 0);
            for (const order of orders) order.settled = true;
            model.available += model.pending;
            model.pending = 0;
          } else if (s.op === 'refund' && orders.length > 0) {
            const order = orders[s.order % orders.length]!;
            if (order.left === 0) continue;
            const amount = Math.max(1, Math.floor(order.left * s.share));
            const answer = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: `M${Date.now()}${++refunds}`, amount: money(amount) }, { merchant });
            if (order.settled && amount > model.available) {
              expect(answer.body.code).toBe('8011');
            } else {
              expect(answer.body.code).toBe('0000');
              order.left -= amount;
              if (order.settled) model.available -= amount;
              else model.pending -= amount;
            }
          } else if (s.op === 'payouts') {
            const before = model.available;
            const answers = await Promise.all(
              s.racing.map((payout) =>
                t.post('/v1/payout', payoutFields({ amount: money(payout.cents), customerAccount: payout.fails ? '4000000000000002' : '4242424242424242' }), { merchant }),
              ),
            );
            let taken = 0;
            let heldThenReturned = 0;
            answers.forEach((answer, i) => {
              const need = s.racing[i]!.cents + payoutFee;
              if (answer.body.code === '8015') return void seen.refused++;
              expect(answer.body.code).toBe('0000');
              if (answer.body.data.status === '0000') {
                taken += need;
                seen.paid++;
              } else {
                seen.failed++;
                expect(answer.body.data).toMatchObject({ status: '00029', desc: 'FAILED: DO_NOT_HONOR' });
                heldThenReturned += need;
              }
            });
            // Whatever the order the racing payouts were served in, together they held no more than there was.
            expect(taken + heldThenReturned).toBeLessThanOrEqual(before);
            // A refused payout could not have fitted beside what the others held at the time.
            for (const [i, answer] of answers.entries()) {
              if (answer.body.code === '8015') expect(s.racing[i]!.cents + payoutFee).toBeGreaterThan(before - taken - heldThenReturned);
            }
            model.available -= taken;
          }
          const balance = (await t.post('/v1/balance', {}, { merchant })).body.data;
          expect({ available: cents(balance.availableAmount), pending: cents(balance.unsettledAmount) }).toEqual(model);
          expect(model.available).toBeGreaterThanOrEqual(0);
        }
        expect(await checkLedger(t.gateway.context.db)).toEqual([]);
      }),
      { numRuns: 8, seed: kind === 'pglite' ? 10 : 20 },
    );
    expect(seen.paid).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
