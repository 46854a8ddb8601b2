import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

describeEachDatabase('query and close', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const created = async (overrides = {}) => {
    const fields = checkoutFields(overrides);
    const { body } = await t.post('/v1/checkout', fields);
    return { tradeNo: fields.tradeNo as string, platFormTradeNo: body.data.platFormTradeNo as string };
  };

  it('answers an order by tradeNo and by platFormTradeNo, with every documented field', async () => {
    const order = await created({ amount: '12.5', remark: 'gift' });
    const references: Record<string, string>[] = [{ tradeNo: order.tradeNo }, { platFormTradeNo: order.platFormTradeNo }, order];
    for (const reference of references) {
      const { body } = await t.post('/v1/checkout/query', reference);
      expect(body.code).toBe('0000');
      expect(body.data).toMatchObject({
        tradeNo: order.tradeNo,
        platFormTradeNo: order.platFormTradeNo,
        status: '0015',
        desc: 'CREATED',
        message: 'CREATED',
        amount: '12.50',
        orderAmount: '12.50',
        payAmount: '0.00',
        currency: 'USD',
        remark: 'gift',
        successTime: null,
        refundedAmount: '0.00',
      });
      expect(body.data.createTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
  });

  it('answers through the family alias queryPayInResult', async () => {
    const order = await created();
    const { body } = await t.post('/v1/somebrand/queryPayInResult', { tradeNo: order.tradeNo });
    expect(body.data.platFormTradeNo).toBe(order.platFormTradeNo);
  });

  it("8009 for an order that does not exist, or is another merchant's", async () => {
    expect((await t.post('/v1/checkout/query', { tradeNo: 'never-created' })).body.code).toBe('8009');
    const order = await created();
    const other = await t.addMerchant();
    expect((await t.post('/v1/checkout/query', { tradeNo: order.tradeNo }, { merchant: other })).body.code).toBe('8009');
    expect((await t.post('/v1/checkout/query', { platFormTradeNo: order.platFormTradeNo }, { merchant: other })).body.code).toBe('8009');
  });

  it('8000 when tradeNo and platFormTradeNo name different orders', async () => {
    const one = await created();
    const two = await created();
    const { body } = await t.post('/v1/checkout/query', { tradeNo: one.tradeNo, platFormTradeNo: two.platFormTradeNo });
    expect(body).toMatchObject({ code: '8000', success: false });
  });

  it('8002 when neither reference is given', async () => {
    const { body } = await t.post('/v1/checkout/query', {});
    expect(body.code).toBe('8002');
    expect(body.msg).toMatch(/tradeNo or platFormTradeNo/);
  });

  // The test merchant has the default status set, family: closed is 00029 with desc CLOSED (stored 00031).
  it('closes an unpaid order (00029 CLOSED to a family merchant), and closing again answers the same', async () => {
    const order = await created();
    const closed = await t.post('/v1/checkout/close', { tradeNo: order.tradeNo });
    expect(closed.body).toMatchObject({ code: '0000', data: { status: '00029', desc: 'CLOSED' } });
    expect((await t.post('/v1/checkout/close', { tradeNo: order.tradeNo })).body.data).toMatchObject({ status: '00029', desc: 'CLOSED' });
    expect((await t.post('/v1/checkout/query', { tradeNo: order.tradeNo })).body.data).toMatchObject({ status: '00029', desc: 'CLOSED' });
  });

  it('the payment page of a closed order is gone (410)', async () => {
    const fields = checkoutFields();
    const { body } = await t.post('/v1/checkout', fields);
    await t.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string });
    const page = await t.gateway.app.inject({ method: 'GET', url: new URL(body.data.paymentUrl).pathname + new URL(body.data.paymentUrl).search });
    expect(page.statusCode).toBe(410);
  });

  it('replaying the create of a closed order answers it with its final status', async () => {
    const fields = checkoutFields();
    const first = await t.post('/v1/checkout', fields);
    await t.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string });
    const again = await t.post('/v1/checkout', fields);
    expect(again.body).toMatchObject({ code: '0000', data: { status: '00029', desc: 'CLOSED', paymentUrl: first.body.data.paymentUrl } });
  });

  it('8010 when a payment is under way or the order is final', async () => {
    const underWay = await created();
    await t.gateway.context.db.updateTable('orders').set({ status_desc: 'PROCESSING' }).where('plat_form_trade_no', '=', underWay.platFormTradeNo).execute();
    expect((await t.post('/v1/checkout/close', { tradeNo: underWay.tradeNo })).body.code).toBe('8010');

    const paid = await created();
    await t.gateway.context.db.updateTable('orders').set({ status: '0000', status_desc: 'SUCCESS' }).where('plat_form_trade_no', '=', paid.platFormTradeNo).execute();
    const refused = await t.post('/v1/checkout/close', { tradeNo: paid.tradeNo });
    expect(refused.body).toMatchObject({ code: '8010', success: false });
    expect((await t.post('/v1/checkout/query', { tradeNo: paid.tradeNo })).body.data.status).toBe('0000');
  });

  it('8009 when closing an order that does not exist', async () => {
    expect((await t.post('/v1/checkout/close', { tradeNo: 'nope' })).body.code).toBe('8009');
  });

  it('racing closes of one order both answer CLOSED and write one close event', async () => {
    const order = await created();
    const answers = await Promise.all([1, 2, 3].map(() => t.post('/v1/checkout/close', { tradeNo: order.tradeNo })));
    for (const answer of answers) expect(answer.body.data?.desc ?? answer.body.code).toBe('CLOSED');
    const events = await t.gateway.context.db.selectFrom('order_events').select('type').where('order_no', '=', order.platFormTradeNo).where('type', '=', 'closed').execute();
    expect(events).toHaveLength(1);
  });
});
