import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { startGatewayOnAcquirerSim } from '../support/acquirer-sim-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import type { AcquirerSimServer } from '../../src/acquirer-sim/server.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

/** Section 14 through a gateway with ACQUIRER=http, the acquirer-sim service keeping the tokens: save, one step, charge, delete. */
describeEachDatabase('cards on file through the http connector', (kind) => {
  let gateway: Awaited<ReturnType<typeof startGatewayOnAcquirerSim>>;
  let sim: AcquirerSimServer;
  let t: TestGateway;
  let serial = 0;
  beforeAll(async () => {
    gateway = await startGatewayOnAcquirerSim(kind);
    ({ sim, t } = gateway);
  });
  afterAll(() => gateway.close());

  const newCustomer = () => `cus-http-${kind}-${++serial}-${Date.now()}`;
  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attemptsOf = (orderNo: string) => t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).execute();
  /** The service's own token behind one of our cardTokens, as the gateway keeps it (sealed). */
  const serviceToken = async (cardToken: string) => {
    const row = await t.gateway.context.db.selectFrom('saved_cards').selectAll().where('card_token', '=', cardToken).executeTakeFirstOrThrow();
    expect(row.acquirer).toBe('http');
    return t.gateway.context.masterKey.open(row.acquirer_token_sealed);
  };
  const charge = (customerId: string, cardToken: string, tradeNo = `HC-${kind}-${++serial}-${Date.now()}`) =>
    t.post('/v1/charge', { tradeNo, amount: '9.99', currency: 'USD', customerId, cardToken, notifyUrl: 'https://merchant.example/n', reason: 'UNSCHEDULED' });

  async function saveCard(customerId: string, number = '4242424242424242') {
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    await customer.pay(number);
    const order = await query(customer.tradeNo);
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_[0-9a-z]{24}$/) });
    return order.cardToken as string;
  }

  it("saves the card with the service's token, pays again in one step, charges it, and deletes it at the service", async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId);
    const token = await serviceToken(cardToken);
    expect(token).toMatch(/^sim_tok_/);
    expect(await sim.simulator.store.findToken(token)).toMatchObject({ last4: '4242', deleted: false });
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toEqual([
      { cardToken, brand: 'visa', last4: '4242', expiryMonth: 12, expiryYear: expect.any(Number), createdTime: expect.any(String) },
    ]);

    const again = await CashierClient.forNewOrder(t, { customerId, amount: '12.00' });
    expect((await again.open()).html).toContain('Pay 12.00 USD with Visa •••• 4242');
    await again.post('/checkout/pay-saved', { cardToken });
    expect(await query(again.tradeNo)).toMatchObject({ status: '0000', cardToken, cardLast4: '4242' });
    const [oneStep] = await attemptsOf(again.platFormTradeNo);
    expect(await sim.chargeCount(oneStep!.id)).toBe(1);

    const charged = await charge(customerId, cardToken);
    expect(charged.body).toMatchObject({ code: '0000', data: { status: '0000', desc: 'SUCCESS', cardToken, paymentUrl: null } });
    const [merchantInitiated] = await attemptsOf(charged.body.data.platFormTradeNo);
    expect(merchantInitiated).toMatchObject({ acquirer: 'http', merchant_initiated: true, status: 'approved' });
    expect(await sim.chargeCount(merchantInitiated!.id)).toBe(1);

    expect((await t.post('/v1/card/delete', { cardToken })).body).toMatchObject({ code: '0000', data: { cardToken, deleted: true } });
    expect(await sim.simulator.store.findToken(token)).toMatchObject({ deleted: true });
    expect((await charge(customerId, cardToken)).body.code).toBe('8009');
  });

  it('answers AUTHENTICATION_REQUIRED from the service with a paymentUrl, and DO_NOT_HONOR as the simulator does', async () => {
    const customerId = newCustomer();
    const strong = await saveCard(customerId, '4000002760003184');
    const answer = await charge(customerId, strong);
    expect(answer.body.data).toMatchObject({ status: '00029', desc: 'AUTHENTICATION_REQUIRED', paymentUrl: expect.stringContaining('/checkout?data=') });
    const declining = await saveCard(customerId, '4000000000000341');
    expect((await charge(customerId, declining)).body.data).toMatchObject({ status: '00029', desc: 'DO_NOT_HONOR', paymentUrl: null });
  });

  it('saves the card when the approval is found later by the reconciler (the answer was dropped)', async () => {
    const customerId = newCustomer();
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    sim.faults.dropNext(1);
    await customer.pay('5555555555554444');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attempt!.id).execute();
    await reconcileAttempts(t.gateway.context);
    const order = await query(customer.tradeNo);
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_[0-9a-z]{24}$/) });
    expect(await sim.simulator.store.findToken(await serviceToken(order.cardToken))).toMatchObject({ last4: '4444', deleted: false });
    expect((await charge(customerId, order.cardToken)).body.data.status).toBe('0000');
  });
});
