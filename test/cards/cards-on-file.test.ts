import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

/** Section 14 of the contract on the simulator: save with consent, pay again in one step, charge, delete. */
describeEachDatabase('cards on file', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let customerCount = 0;
  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms' });
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 200, sweepEveryMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const newCustomer = () => `cus-${kind}-${++customerCount}-${Date.now()}`;
  const query = async (fields: Record<string, string>) => (await t.post('/v1/checkout/query', fields)).body.data;
  const cards = async (customerId: string) => (await t.post('/v1/card/list', { customerId })).body.data.cards as any[];
  let chargeCount = 0;
  const charge = (customerId: string, cardToken: string, overrides: Record<string, string> = {}) =>
    t.post('/v1/charge', {
      tradeNo: `CH-${kind}-${++chargeCount}-${Date.now()}`,
      amount: '9.99',
      currency: 'USD',
      customerId,
      cardToken,
      notifyUrl: `${receiver.url}/charges`,
      reason: 'RECURRING',
      ...overrides,
    });

  /** A customer pays a checkout that saves the card, and answers the card's token. */
  async function saveCard(customerId: string, number = '4242424242424242', extra: Record<string, string> = {}) {
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    const page = await customer.open();
    expect(page.html).toContain('this card will be saved for future payments by Test Store');
    const paid = await customer.pay(number, extra);
    expect(paid.status).toBe(200);
    const order = await query({ tradeNo: customer.tradeNo });
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_[0-9a-z]{24}$/) });
    return order.cardToken as string;
  }

  it('offers an unticked box for an optional save, and saves the card only when the customer ticks it', async () => {
    const customerId = newCustomer();
    const unticked = await CashierClient.forNewOrder(t, { customerId, saveCard: 'optional' });
    const page = await unticked.open();
    expect(page.html).toMatch(/<input type="checkbox" id="saveCard" name="saveCard" value="yes">/);
    expect(page.html).toContain('Save this card for future payments to Test Store');
    await unticked.pay('4242424242424242');
    expect(await query({ tradeNo: unticked.tradeNo })).toMatchObject({ status: '0000', cardToken: null });
    expect(await cards(customerId)).toEqual([]);

    const ticked = await CashierClient.forNewOrder(t, { customerId, saveCard: 'optional', notifyUrl: `${receiver.url}/saved` });
    await ticked.open();
    await ticked.pay('5555555555554444', { saveCard: 'yes', expiry: '07/31' });
    const order = await query({ tradeNo: ticked.tradeNo });
    expect(order.cardToken).toMatch(/^ct_[0-9a-z]{24}$/);
    expect(await cards(customerId)).toEqual([
      { cardToken: order.cardToken, brand: 'mastercard', last4: '4444', expiryMonth: 7, expiryYear: 2031, createdTime: expect.any(String) },
    ]);
    const notification = await until(() => receiver.received.find((r) => r.body.tradeNo === ticked.tradeNo), 10_000, 25, 'notification');
    expect(notification.body.cardToken).toBe(order.cardToken);
  });

  it('saves the card when the reconciler finds the approval later (the "times out" card)', async () => {
    const customerId = newCustomer();
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    await customer.pay('4000000000003063');
    const attempt = await t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', customer.platFormTradeNo).executeTakeFirstOrThrow();
    expect(attempt.status).toBe('unknown');
    await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attempt.id).execute();
    await reconcileAttempts(t.gateway.context);
    const order = await until(async () => {
      const answer = await query({ tradeNo: customer.tradeNo });
      return answer.status === '0000' ? answer : undefined;
    }, 10_000, 25, 'the reconciled order');
    expect(order.cardToken).toMatch(/^ct_[0-9a-z]{24}$/);
    expect(await cards(customerId)).toMatchObject([{ cardToken: order.cardToken, last4: '3063' }]);
    expect((await charge(customerId, order.cardToken)).body.data).toMatchObject({ status: '0000', cardToken: order.cardToken });
  });

  it('refuses saveCard without customerId, and a saveCard it does not know, naming the field', async () => {
    const without = await t.post('/v1/checkout', checkoutFields({ saveCard: 'optional' }));
    expect(without.body).toMatchObject({ code: '8002', msg: expect.stringMatching(/customerId/) });
    const unknown = await t.post('/v1/checkout', checkoutFields({ customerId: 'c1', saveCard: 'always' }));
    expect(unknown.body).toMatchObject({ code: '8002', msg: expect.stringMatching(/saveCard/) });
    const badId = await t.post('/v1/checkout', checkoutFields({ customerId: 'has space' }));
    expect(badId.body).toMatchObject({ code: '8002', msg: expect.stringMatching(/customerId/) });
  });

  it('shows a returning customer their saved cards and lets them pay in one step', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId);
    const again = await CashierClient.forNewOrder(t, { customerId, amount: '12.00' });
    const page = await again.open();
    expect(page.html).toContain('Your saved cards');
    expect(page.html).toContain('Pay 12.00 USD with Visa •••• 4242');
    expect(page.html).toContain(`value="${cardToken}"`);
    const paid = await again.post('/checkout/pay-saved', { cardToken });
    expect(paid.status).toBe(200);
    expect(paid.html).toContain(again.platFormTradeNo);
    expect(await query({ tradeNo: again.tradeNo })).toMatchObject({ status: '0000', cardBrand: 'visa', cardLast4: '4242', cardToken });

    // Another customer's page shows none of them, and cannot pay with this one.
    const stranger = await CashierClient.forNewOrder(t, { customerId: newCustomer() });
    expect((await stranger.open()).html).not.toContain(cardToken);
    await stranger.post('/checkout/pay-saved', { cardToken });
    expect(await query({ tradeNo: stranger.tradeNo })).toMatchObject({ status: '0015', desc: 'CREATED' });
  });

  it('charges a saved card without the customer: paid, notified, idempotent by tradeNo, refundable', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId);
    const tradeNo = `CH-${kind}-paid-${Date.now()}`;
    const first = await charge(customerId, cardToken, { tradeNo, remark: 'December' });
    expect(first.body).toMatchObject({ code: '0000', data: { tradeNo, status: '0000', desc: 'SUCCESS', remark: 'December', cardToken, paymentUrl: null } });
    const again = await charge(customerId, cardToken, { tradeNo, remark: 'December' });
    expect(again.body.data.platFormTradeNo).toBe(first.body.data.platFormTradeNo);
    expect((await charge(customerId, cardToken, { tradeNo, amount: '10.00' })).body.code).toBe('8005');
    expect(await t.acquirer.store.charges()).toHaveLength(new Set((await t.acquirer.store.charges()).map((c) => c.idempotencyKey)).size);

    const order = await query({ tradeNo });
    expect(order).toMatchObject({ status: '0000', amount: '9.99', cardToken, cardLast4: '4242' });
    const notification = await until(() => receiver.received.find((r) => r.body.tradeNo === tradeNo), 10_000, 25, 'charge notification');
    expect(notification.body).toMatchObject({ notifyType: 'PAYMENT', status: '0000', cardToken });
    const refund = await t.post('/v1/refund', { tradeNo, refundNo: `${tradeNo}-r`, amount: '9.99' });
    expect(refund.body.data.status).toBe('0000');
    const attempt = await t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', order.platFormTradeNo).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ merchant_initiated: true, card_token: cardToken, client_ip: null });

    // The console marks it as merchant-initiated, in the list and on the order page.
    const admin = await createAdmin(t.gateway.context.db, `ops-${kind}@example.com`);
    const operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    const list = await operator.get(`/dashboard/orders?q=${tradeNo}`);
    expect(list.html).toContain(order.platFormTradeNo);
    expect(list.html).toContain('MERCHANT-INITIATED');
    const page = await operator.get(`/dashboard/orders/${order.platFormTradeNo}`);
    expect(page.html).toContain('the merchant, without the customer (POST /v1/charge)');
    expect(page.html).toContain(cardToken);
    expect(page.html).toContain(customerId);
  });

  it('fails a charge on the card whose merchant-initiated charges decline, with the reason, in one attempt', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId, '4000000000000341');
    const answer = await charge(customerId, cardToken);
    expect(answer.body).toMatchObject({ code: '0000', data: { status: '00029', desc: 'DO_NOT_HONOR', paymentUrl: null } });
    expect(await query({ tradeNo: answer.body.data.tradeNo })).toMatchObject({ status: '00029', cardToken });
  });

  it('answers AUTHENTICATION_REQUIRED with the paymentUrl of a new order the customer pays in one step', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId, '4000002760003184');
    const tradeNo = `CH-${kind}-auth-${Date.now()}`;
    const answer = await charge(customerId, cardToken, { tradeNo });
    expect(answer.body.data).toMatchObject({ status: '00029', desc: 'AUTHENTICATION_REQUIRED', paymentUrl: expect.stringContaining('/checkout?data=') });
    // The same charge again points at the same new order.
    expect((await charge(customerId, cardToken, { tradeNo })).body.data.paymentUrl).toBe(answer.body.data.paymentUrl);

    const present = new CashierClient(t, new URL(answer.body.data.paymentUrl).searchParams.get('data')!);
    const page = await present.open();
    expect(page.html).toContain('Pay 9.99 USD with Visa •••• 3184');
    await present.post('/checkout/pay-saved', { cardToken });
    const followUp = await t.gateway.context.db.selectFrom('orders').selectAll().where('trade_no', '=', `${tradeNo}.auth`).executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({ status: '0000', card_token: cardToken, merchant_initiated: false, amount_cents: 999 });
  });

  it('refuses an expired saved card without calling the acquirer', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId);
    // The card ran out since it was saved.
    await t.gateway.context.db.updateTable('saved_cards').set({ expiry_month: 1, expiry_year: 2020 }).where('card_token', '=', cardToken).execute();
    const before = (await t.acquirer.store.charges()).length;
    const answer = await charge(customerId, cardToken);
    expect(answer.body.data).toMatchObject({ status: '00029', desc: 'EXPIRED_CARD' });
    // The order itself says FAILED: <reason>, as every failed order does.
    expect(await query({ tradeNo: answer.body.data.tradeNo })).toMatchObject({ status: '00029', desc: 'FAILED: EXPIRED_CARD' });
    const attempt = await t.gateway.context.db.selectFrom('payment_attempts').select('id').where('order_no', '=', answer.body.data.platFormTradeNo).executeTakeFirstOrThrow();
    expect(await t.acquirer.queryAuthorization(attempt.id)).toEqual({ outcome: 'not_found' });
    expect((await t.acquirer.store.charges()).length).toBe(before);
    // Nor is it offered on the cashier page.
    const page = await (await CashierClient.forNewOrder(t, { customerId })).open();
    expect(page.html).not.toContain(cardToken);
  });

  it('answers 8009 for an unknown token, another customer\'s token, another merchant\'s, and a deleted one', async () => {
    const customerId = newCustomer();
    const cardToken = await saveCard(customerId);
    expect((await charge(customerId, 'ct_000000000000000000000000')).body.code).toBe('8009');
    expect((await charge(newCustomer(), cardToken)).body.code).toBe('8009');
    const other = await t.addMerchant({ name: 'Other Store' });
    expect((await t.post('/v1/charge', { tradeNo: `O-${Date.now()}`, amount: '1.00', currency: 'USD', customerId, cardToken, notifyUrl: `${receiver.url}/o`, reason: 'UNSCHEDULED' }, { merchant: other })).body.code).toBe('8009');
    expect((await t.post('/v1/card/delete', { cardToken }, { merchant: other })).body.code).toBe('8009');

    const deleted = await t.post('/v1/card/delete', { cardToken });
    expect(deleted.body).toMatchObject({ code: '0000', data: { cardToken, deleted: true } });
    expect(await cards(customerId)).toEqual([]);
    expect((await charge(customerId, cardToken)).body.code).toBe('8009');
    expect((await t.post('/v1/card/delete', { cardToken })).body.code).toBe('8009');
    // Detached at the acquirer too: its token charges nothing there any more.
    const tokens = await t.gateway.context.db.selectFrom('simulator_card_tokens').select('record').execute();
    expect(tokens.map((row) => row.record as { last4: string; deleted: boolean }).filter((record) => record.deleted).length).toBeGreaterThan(0);
  });

  it('counts merchant-initiated attempts in the card-testing caps', async () => {
    const capped = await startTestGateway(kind, { CARD_DECLINES_PER_DAY: 2 });
    try {
      const customer = await CashierClient.forNewOrder(capped, { customerId: 'cap-1', saveCard: 'required' });
      await customer.open();
      await customer.pay('4000000000000341');
      const cardToken = (await capped.post('/v1/checkout/query', { tradeNo: customer.tradeNo })).body.data.cardToken;
      const chargeOnce = (n: number) =>
        capped.post('/v1/charge', { tradeNo: `CAP-${n}`, amount: '1.00', currency: 'USD', customerId: 'cap-1', cardToken, notifyUrl: 'https://merchant.example/n', reason: 'UNSCHEDULED' });
      expect((await chargeOnce(1)).body.data.desc).toBe('DO_NOT_HONOR');
      expect((await chargeOnce(2)).body.data.desc).toBe('DO_NOT_HONOR');
      const third = await chargeOnce(3);
      expect(third.body.code).toBe('8012');
      expect((await capped.post('/v1/checkout/query', { tradeNo: 'CAP-3' })).body.data.desc).toBe('CLOSED');
    } finally {
      await capped.close();
    }
  });
});
