import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { closeSimulatorDispute } from '../../src/payments/close-simulator-dispute.ts';
import { verifyNotification } from '../../src/sdk/verify.ts';

/**
 * The simulator's dispute cards end to end: pay → a dispute opens a few seconds later through a
 * durable job → the merchant is notified → balance, query and dispute query show it → `payrail
 * dispute close` ends it → notified again, the money where it belongs, the ledger clean.
 */
describeEachDatabase('simulator disputes', (kind) => {
  let t: TestGateway;
  let merchant: TestMerchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    t.gateway.startWorkers({ pollMs: 100 });
    receiver = await startReceiver();
    merchant = await t.addMerchant({ feeBps: 0 });
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const disputeNotices = (tradeNo: string) => receiver.received.filter((r) => r.body.notifyType === 'DISPUTE' && r.body.tradeNo === tradeNo).map((r) => r.body);
  const balance = async () => (await t.post('/v1/balance', {}, { merchant })).body.data;

  async function payWith(card: string) {
    const customer = await CashierClient.forNewOrder(t, { amount: '300.00', notifyUrl: `${receiver.url}/notify` }, merchant);
    await customer.open();
    await customer.pay(card);
    return customer;
  }

  it('a FRAUDULENT dispute opens after a payment with 4000000000000259, holds its amount, refuses refunds, and a lost close takes it with the fee', async () => {
    const before = await balance();
    const customer = await payWith('4000000000000259');
    const [opened] = await until(() => disputeNotices(customer.tradeNo).length > 0 && disputeNotices(customer.tradeNo), 20_000, 50, 'DISPUTE notification');
    expect(verifyNotification(opened!, merchant.appSecret)).toMatchObject({
      notifyType: 'DISPUTE',
      status: '0015',
      message: 'FRAUDULENT',
      platFormTradeNo: customer.platFormTradeNo,
      tradeNo: customer.tradeNo,
      amount: '300.00',
    });
    expect(opened!.disputeNo).toMatch(/^dp[0-9a-z]{14}$/);
    expect(opened!.evidenceDueBy).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const disputeNo = opened!.disputeNo!;

    const held = await balance();
    expect(held.freezeAmount).toBe('300.00');
    expect(Number(held.unsettledAmount)).toBeCloseTo(Number(before.unsettledAmount), 2);

    const query = await t.post('/v1/checkout/query', { tradeNo: customer.tradeNo }, { merchant });
    expect(query.body.data).toMatchObject({ status: '0000', disputeStatus: '0015' });
    const disputes = await t.post('/v1/dispute/query', { tradeNo: customer.tradeNo }, { merchant });
    expect(disputes.body).toMatchObject({ code: '0000', data: { tradeNo: customer.tradeNo, disputes: [{ disputeNo, status: '0015', desc: 'OPEN', message: 'FRAUDULENT', amount: '300.00', closedTime: null }] } });
    expect((await t.post('/v1/dispute/query', { disputeNo }, { merchant })).body.data).toEqual(disputes.body.data);
    expect((await t.post('/v1/dispute/query', { disputeNo }, { merchant: await t.addMerchant() })).body.code).toBe('8009');

    const refund = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${Date.now()}`, amount: '1.00' }, { merchant });
    expect(refund.body).toMatchObject({ code: '8011' });
    expect(refund.body.msg).toContain('open dispute');

    const closed = await closeSimulatorDispute(t.gateway.context.db, disputeNo, 'lost', new Date());
    expect(closed).toMatchObject({ closed: { status: '00029', fee_cents: 1500 } });
    const ended = await until(() => disputeNotices(customer.tradeNo).find((n) => n.status === '00029'), 10_000, 50, 'the ending DISPUTE notification');
    expect(ended).toMatchObject({ disputeNo, message: 'FRAUDULENT', amount: '300.00' });
    expect(ended.notifyId).not.toBe(opened!.notifyId);

    const after = await balance();
    expect(after.freezeAmount).toBe('0.00');
    expect(Number(after.availableAmount)).toBeCloseTo(Number(before.availableAmount) - 15, 2);
    expect((await t.post('/v1/checkout/query', { tradeNo: customer.tradeNo }, { merchant })).body.data.disputeStatus).toBe('00029');
    expect((await t.post('/v1/dispute/query', { disputeNo }, { merchant })).body.data.disputes[0]).toMatchObject({ status: '00029', desc: 'LOST' });
    expect(await checkLedger(t.gateway.context.db)).toEqual([]);

    // Ended is ended: a second close changes nothing.
    expect(await closeSimulatorDispute(t.gateway.context.db, disputeNo, 'won', new Date())).toEqual({ refused: `dispute ${disputeNo} has ended already: LOST` });
    // What a lost dispute took is no longer refundable.
    const rest = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${Date.now()}x`, amount: '0.01' }, { merchant });
    expect(rest.body.code).toBe('8011');
  }, 60_000);

  it('a PRODUCT_NOT_RECEIVED dispute opens after a payment with 4000000000002685, and a won close gives the amount back', async () => {
    const customer = await payWith('4000000000002685');
    const [opened] = await until(() => disputeNotices(customer.tradeNo).length > 0 && disputeNotices(customer.tradeNo), 20_000, 50, 'DISPUTE notification');
    expect(opened).toMatchObject({ status: '0015', message: 'PRODUCT_NOT_RECEIVED' });
    const held = await balance();
    expect(await closeSimulatorDispute(t.gateway.context.db, opened!.disputeNo!, 'won', new Date())).toMatchObject({ closed: { status: '0000' } });
    const after = await balance();
    expect(Number(held.freezeAmount) - Number(after.freezeAmount)).toBeCloseTo(300, 2);
    expect(Number(after.availableAmount) - Number(held.availableAmount)).toBeCloseTo(300, 2);
    await until(() => disputeNotices(customer.tradeNo).some((n) => n.status === '0000'), 10_000, 50, 'the WON notification');
    expect(await checkLedger(t.gateway.context.db)).toEqual([]);
  }, 60_000);

  it('answers 8002 naming the field for a malformed or missing reference', async () => {
    expect((await t.post('/v1/dispute/query', { disputeNo: 'DP-1' }, { merchant })).body).toMatchObject({ code: '8002', msg: expect.stringContaining('disputeNo') });
    expect((await t.post('/v1/dispute/query', {}, { merchant })).body).toMatchObject({ code: '8002', msg: expect.stringContaining('disputeNo, tradeNo or platFormTradeNo') });
    expect((await t.post('/v1/dispute/query', { tradeNo: 'nope' }, { merchant })).body.code).toBe('8009');
  });
});
