import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';

describeEachDatabase('refunds', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const paidOrder = async (amount = '100.00') => {
    const customer = await CashierClient.forNewOrder(t, { amount, notifyUrl: `${receiver.url}/n/${Math.random()}` });
    await customer.open();
    await customer.pay('4242424242424242');
    return customer;
  };
  let refunds = 0;
  const refundNo = () => `R${Date.now()}${++refunds}`;

  it('refunds part of a paid order, then the rest, and never more (8011)', async () => {
    const order = await paidOrder('100.00');
    const first = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: refundNo(), amount: '30.00', reason: 'damaged' });
    expect(first.body).toMatchObject({ code: '0000', data: { status: '0000', desc: 'SUCCESS', amount: '30.00', refundedAmount: '30.00', reason: 'damaged' } });
    const tooMuch = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: refundNo(), amount: '70.01' });
    expect(tooMuch.body).toMatchObject({ code: '8011', success: false });
    expect(tooMuch.body.msg).toMatch(/70\.00/);
    const rest = await t.post('/v1/refund', { platFormTradeNo: order.platFormTradeNo, refundNo: refundNo(), amount: '70.00' });
    expect(rest.body.data).toMatchObject({ status: '0000', refundedAmount: '100.00' });
    const query = await t.post('/v1/checkout/query', { tradeNo: order.tradeNo });
    expect(query.body.data).toMatchObject({ status: '0000', refundedAmount: '100.00' });
  });

  it('is idempotent by refundNo, and refuses the same refundNo with another amount (8005)', async () => {
    const order = await paidOrder();
    const no = refundNo();
    const first = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: no, amount: '10.00' });
    const again = await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: no, amount: '10.00' });
    expect(again.body.data).toEqual({ ...first.body.data });
    expect((await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: no, amount: '11.00' })).body.code).toBe('8005');
    expect((await t.post('/v1/checkout/query', { tradeNo: order.tradeNo })).body.data.refundedAmount).toBe('10.00');
  });

  it('gives back at most the paid amount when refunds race', async () => {
    const order = await paidOrder('50.00');
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: refundNo(), amount: '20.00' })));
    const codes = answers.map((answer) => answer.body.code).sort();
    expect(codes).toEqual(['0000', '0000', '8011', '8011', '8011', '8011']);
    expect((await t.post('/v1/checkout/query', { tradeNo: order.tradeNo })).body.data.refundedAmount).toBe('40.00');
  });

  it('answers 8005, not an error, when one refundNo is sent for two orders at the same moment', async () => {
    const one = await paidOrder('10.00');
    const two = await paidOrder('10.00');
    const no = refundNo();
    const answers = await Promise.all([
      t.post('/v1/refund', { tradeNo: one.tradeNo, refundNo: no, amount: '1.00' }),
      t.post('/v1/refund', { tradeNo: two.tradeNo, refundNo: no, amount: '1.00' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.body.code).sort()).toEqual(['0000', '8005']);
  });

  it('refuses to refund an order that is not paid (8010) or does not exist (8009)', async () => {
    const unpaid = await CashierClient.forNewOrder(t);
    expect((await t.post('/v1/refund', { tradeNo: unpaid.tradeNo, refundNo: refundNo(), amount: '1.00' })).body.code).toBe('8010');
    expect((await t.post('/v1/refund', { tradeNo: 'missing', refundNo: refundNo(), amount: '1.00' })).body.code).toBe('8009');
    expect((await t.post('/v1/refund', { tradeNo: unpaid.tradeNo, refundNo: refundNo(), amount: '0.00' })).body.code).toBe('8007');
    expect((await t.post('/v1/refund', { tradeNo: unpaid.tradeNo, amount: '1.00' })).body.code).toBe('8002');
  });

  it('answers a refund by refundNo, and 8009 for an unknown one', async () => {
    const order = await paidOrder();
    const no = refundNo();
    await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: no, amount: '5.00' });
    const found = await t.post('/v1/refund/query', { refundNo: no });
    expect(found.body.data).toMatchObject({ refundNo: no, tradeNo: order.tradeNo, amount: '5.00', status: '0000' });
    expect(found.body.data.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await t.post('/v1/refund/query', { refundNo: 'nope' })).body.code).toBe('8009');
  });

  it('notifies the merchant of a refund with notifyType REFUND and the refundNo', async () => {
    const order = await paidOrder('25.00');
    const no = refundNo();
    await t.post('/v1/refund', { tradeNo: order.tradeNo, refundNo: no, amount: '7.50' });
    const refundNotice = await until(() => receiver.received.find((r) => r.body.refundNo === no));
    expect(refundNotice.body).toMatchObject({
      notifyType: 'REFUND',
      status: '0000',
      message: 'SUCCESS',
      amount: '7.50',
      tradeNo: order.tradeNo,
      platFormTradeNo: order.platFormTradeNo,
    });
    const payment = receiver.received.find((r) => r.body.platFormTradeNo === order.platFormTradeNo && r.body.notifyType === 'PAYMENT');
    expect(payment?.body.notifyId).not.toBe(refundNotice.body.notifyId);
  });
});
