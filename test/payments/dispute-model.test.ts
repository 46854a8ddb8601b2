import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { findApprovedAttempt } from '../../src/store/attempts.ts';
import { listDisputesOfOrder } from '../../src/store/disputes.ts';
import { applyDisputeEvent } from '../../src/payments/apply-dispute-event.ts';
import { DISPUTE_STAGES, DisputeStatus, type DisputeStage } from '../../src/domain/dispute.ts';
import { cents } from '../../src/domain/money.ts';

/**
 * A model of one merchant's money under random sequences of dispute events (repeated, late, out of
 * order, some not matching the payment), settlements and refunds: after every step the balances
 * equal the model's, each dispute's status is the model's, and `checkLedger` finds nothing wrong.
 */
describeEachDatabase('disputes against a model of the ledger', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const money = (value: number) => (value / 100).toFixed(2);
  const amountOf = (amount: string) => Math.round(Number(amount) * 100);
  let refundNo = 0;

  const step = fc.oneof(
    {
      arbitrary: fc.record({
        op: fc.constant('event' as const),
        dispute: fc.integer({ min: 0, max: 2 }),
        stage: fc.constantFrom(...DISPUTE_STAGES),
        share: fc.double({ min: 0.01, max: 1, noNaN: true }),
        wrong: fc.constantFrom('none', 'none', 'none', 'currency', 'amount'),
      }),
      weight: 8,
    },
    { arbitrary: fc.constant({ op: 'settle' as const }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('refund' as const), order: fc.integer({ min: 0, max: 1 }), cents: fc.integer({ min: 1, max: 3_000 }) }), weight: 2 },
  );
  interface ModelOrder {
    tradeNo: string;
    platFormTradeNo: string;
    reference: string;
    paid: number;
    /** What of it is still in the unsettled balance. */
    pending: number;
    settled: boolean;
    refunded: number;
    lost: number;
  }
  const seen = { held: 0, won: 0, lost: 0, refused: 0, mismatched: 0 };

  it('moves each dispute’s money once, whatever order its events come in, and the ledger checks clean after each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2_000 }), fc.array(step, { minLength: 3, maxLength: 14 }), async (disputeFee, steps) => {
        const merchant = await t.addMerchant({ feeBps: 0 });
        await t.gateway.context.db.updateTable('merchants').set({ dispute_fee_cents: cents(disputeFee) }).where('merchant_no', '=', merchant.merchantNo).execute();
        const orders: ModelOrder[] = [];
        for (const amount of [5_000, 3_000]) {
          const customer = await CashierClient.forNewOrder(t, { amount: money(amount) }, merchant);
          await customer.open();
          await customer.pay('4242424242424242');
          const attempt = await findApprovedAttempt(t.gateway.context.db, customer.platFormTradeNo);
          orders.push({ tradeNo: customer.tradeNo, platFormTradeNo: customer.platFormTradeNo, paid: amount, pending: amount, settled: false, refunded: 0, lost: 0, reference: attempt!.acquirer_reference! });
        }
        const model = { pending: 8_000, available: 0, frozen: 0 };
        // Dispute i is about order i % 2; its amount is fixed by its first matching event.
        const disputes: { status: DisputeStatus | null; amount: number; order: ModelOrder; id: string }[] = [0, 1, 2].map((i) => ({
          status: null,
          amount: 0,
          order: orders[i % 2]!,
          id: `dp_${merchant.merchantNo}_${i}`,
        }));

        for (const s of steps) {
          if (s.op === 'event') {
            const dispute = disputes[s.dispute]!;
            const order = dispute.order;
            const amount = dispute.status === null ? Math.max(1, Math.floor(order.paid * s.share)) : dispute.amount;
            const result = await applyDisputeEvent(t.gateway.context, {
              processor: 'simulator',
              processorDisputeId: dispute.id,
              paymentReference: order.reference,
              amount: cents(s.wrong === 'amount' ? order.paid + 1 : amount),
              currency: s.wrong === 'currency' ? 'EUR' : 'usd',
              reason: 'FRAUDULENT',
              stage: s.stage,
              occurredAt: new Date(),
            });
            if (s.wrong !== 'none') {
              expect(result.outcome).toBe('mismatch');
              seen.mismatched++;
            } else {
              expect(result.outcome).toBe('settled');
              if (dispute.status === null) dispute.amount = amount;
              moveModel(dispute, s.stage);
            }
          } else if (s.op === 'settle') {
            await settlePayments(t.gateway.context.db, 0);
            for (const order of orders) {
              if (!order.settled) model.available += order.pending;
              order.settled = true;
            }
            model.pending = 0;
          } else {
            const order = orders[s.order]!;
            const answer = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: `D${Date.now()}${++refundNo}`, amount: money(s.cents) }, { merchant });
            const open = disputes.some((dispute) => dispute.order === order && dispute.status === DisputeStatus.Open);
            const refundable = order.paid - order.refunded - order.lost;
            if (open || s.cents > refundable || (order.settled && s.cents > model.available)) {
              expect(answer.body.code).toBe('8011');
              seen.refused++;
            } else {
              expect(answer.body.code).toBe('0000');
              order.refunded += s.cents;
              if (order.settled) model.available -= s.cents;
              else (model.pending -= s.cents), (order.pending -= s.cents);
            }
          }
          const balance = (await t.post('/v1/balance', {}, { merchant })).body.data;
          expect({ pending: amountOf(balance.unsettledAmount), available: amountOf(balance.availableAmount), frozen: amountOf(balance.freezeAmount) }).toEqual(model);
          for (const order of orders) {
            const stored = await listDisputesOfOrder(t.gateway.context.db, order.platFormTradeNo);
            const expected = disputes.filter((dispute) => dispute.order === order && dispute.status !== null);
            expect(stored.map((row) => [row.processor_dispute_id, row.status, row.amount_cents]).sort()).toEqual(expected.map((dispute) => [dispute.id, dispute.status, dispute.amount]).sort());
          }
          expect(await checkLedger(t.gateway.context.db)).toEqual([]);
        }

        function moveModel(dispute: (typeof disputes)[number], stage: DisputeStage) {
          const ends = stage === 'won' || stage === 'funds_reinstated' ? DisputeStatus.Won : stage === 'lost' ? DisputeStatus.Lost : null;
          const hold = () => {
            if (dispute.order.settled) model.available -= dispute.amount;
            else (model.pending -= dispute.amount), (dispute.order.pending -= dispute.amount);
            model.frozen += dispute.amount;
            seen.held++;
          };
          const lose = () => {
            model.frozen -= dispute.amount;
            model.available -= disputeFee;
            dispute.order.lost += dispute.amount;
            dispute.status = DisputeStatus.Lost;
            seen.lost++;
          };
          if (dispute.status === null) {
            if (ends === null) (dispute.status = DisputeStatus.Open), hold();
            else if (ends === DisputeStatus.Won) (dispute.status = DisputeStatus.Won), seen.won++;
            else hold(), lose();
          } else if (dispute.status === DisputeStatus.Open && ends !== null) {
            if (ends === DisputeStatus.Won) {
              model.frozen -= dispute.amount;
              model.available += dispute.amount;
              dispute.status = DisputeStatus.Won;
              seen.won++;
            } else lose();
          }
        }
      }),
      { numRuns: 10, seed: kind === 'pglite' ? 22 : 2022 },
    );
    expect(seen.held).toBeGreaterThan(0);
    expect(seen.won).toBeGreaterThan(0);
    expect(seen.lost).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.mismatched).toBeGreaterThan(0);
  }, 300_000);
});
