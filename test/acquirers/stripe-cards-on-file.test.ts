import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startGatewayWithLocalStripe } from '../support/processor-gateways.ts';
import type { FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { readStoredCardToken } from '../../src/acquirers/stripe/stored-card-token.ts';

const WEBHOOK_SECRET = 'whsec_cardsonfile';

/** Section 14 of the contract with ACQUIRER=stripe: the card saved at Stripe, charged again, detached. */
describeEachDatabase('cards on file with ACQUIRER=stripe against a local Stripe', (kind) => {
  let stripe: FakeStripe;
  let t: TestGateway;
  let sequence = 0;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ stripe, t, close } = await startGatewayWithLocalStripe(kind, WEBHOOK_SECRET));
  });
  afterAll(() => close());

  const db = () => t.gateway.context.db;
  const newCustomer = () => `cus-${kind}-${++sequence}-${Date.now()}`;
  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attemptOf = (orderNo: string) => db().selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  /** The saved card's Stripe ids, read from its sealed token as the gateway does. */
  const stripeCardOf = async (cardToken: string) => {
    const row = await db().selectFrom('saved_cards').selectAll().where('card_token', '=', cardToken).executeTakeFirstOrThrow();
    return { row, card: readStoredCardToken(t.gateway.context.masterKey.open(row.acquirer_token_sealed))! };
  };
  const intentCall = (attemptId: string) => stripe.received('/v1/payment_intents').find((call) => call.idempotencyKey === attemptId)!;
  const charge = (customerId: string, cardToken: string, overrides: Record<string, string> = {}) =>
    t.post('/v1/charge', {
      tradeNo: `SCH-${kind}-${++sequence}-${Date.now()}`,
      amount: '9.99',
      currency: 'USD',
      customerId,
      cardToken,
      notifyUrl: 'https://merchant.example/notify',
      reason: 'RECURRING',
      ...overrides,
    });

  /** The customer passes Stripe's 3-D Secure page of the attempt's intent; the browser comes back to the cashier, unless told to wait. */
  async function passThreeDS(orderNo: string, beforeReturn?: (attemptId: string) => Promise<void>) {
    const attempt = await attemptOf(orderNo);
    expect(attempt.status).toBe('challenge');
    const redirect = stripe.intentFor(attempt.id)!.next_action.redirect_to_url.url as string;
    const back = await fetch(redirect, { method: 'POST', body: new URLSearchParams({ outcome: 'complete' }), redirect: 'manual' });
    const returned = new URL(back.headers.get('location')!);
    expect(returned.pathname).toBe('/checkout/return');
    await beforeReturn?.(attempt.id);
    return t.gateway.app.inject({ method: 'GET', url: `${returned.pathname}${returned.search}` });
  }

  /** A customer pays a checkout that saves the card (ticking the box), passing 3-D Secure if Stripe asks; the card's token. */
  async function saveCard(customerId: string, number = '4242424242424242') {
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'optional' });
    await customer.open();
    await customer.pay(number, { saveCard: 'yes', expiry: '07/31' });
    if ((await attemptOf(customer.platFormTradeNo)).status === 'challenge') expect((await passThreeDS(customer.platFormTradeNo)).statusCode).toBe(200);
    const order = await query(customer.tradeNo);
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_[0-9a-z]{24}$/) });
    return { cardToken: order.cardToken as string, customer };
  }

  it('saves the card the customer agreed to save on a Stripe Customer of theirs: the sealed token is the Customer and PaymentMethod', async () => {
    const customerId = newCustomer();
    const { cardToken, customer } = await saveCard(customerId, '5555555555554444');
    const attempt = await attemptOf(customer.platFormTradeNo);
    const { row, card } = await stripeCardOf(cardToken);
    expect(row).toMatchObject({ acquirer: 'stripe', card_last4: '4444', expiry_month: 7, expiry_year: 2031 });
    expect(row.acquirer_token_sealed).not.toContain(card.paymentMethod);
    const [made] = stripe.received('/v1/customers').filter((call) => call.idempotencyKey === `${attempt.id}-customer`);
    expect(made!.form.metadata).toEqual({ payrail_customer: `${t.merchant.merchantNo}-${customerId}` });
    expect(intentCall(attempt.id).form).toMatchObject({ customer: card.customer, setup_future_usage: 'off_session', confirm: 'true' });
    expect(stripe.paymentMethod(card.paymentMethod)).toMatchObject({ customer: card.customer });
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toEqual([
      { cardToken, brand: 'mastercard', last4: '4444', expiryMonth: 7, expiryYear: 2031, createdTime: expect.any(String) },
    ]);

    // Without the tick, no Customer and nothing saved.
    const unticked = await CashierClient.forNewOrder(t, { customerId, saveCard: 'optional' });
    await unticked.open();
    await unticked.pay('4242424242424242');
    expect(await query(unticked.tradeNo)).toMatchObject({ status: '0000', cardToken: null });
    const plain = intentCall((await attemptOf(unticked.platFormTradeNo)).id).form;
    expect(plain).not.toHaveProperty('customer');
    expect(plain).not.toHaveProperty('setup_future_usage');
  });

  it('a returning customer pays with the saved card in one step: on-session, its Customer and PaymentMethod', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const { card } = await stripeCardOf(cardToken);
    const again = await CashierClient.forNewOrder(t, { customerId, amount: '12.00' });
    expect((await again.open()).html).toContain('Pay 12.00 USD with Visa •••• 4242');
    expect((await again.post('/checkout/pay-saved', { cardToken })).status).toBe(200);
    expect(await query(again.tradeNo)).toMatchObject({ status: '0000', cardToken, cardLast4: '4242' });
    const sent = intentCall((await attemptOf(again.platFormTradeNo)).id).form;
    expect(sent).toMatchObject({ customer: card.customer, payment_method: card.paymentMethod, confirm: 'true', amount: '1200', return_url: expect.stringContaining('/checkout/return?data=') });
    expect(sent).not.toHaveProperty('off_session');
    expect(sent).not.toHaveProperty('payment_method_data');
  });

  it('POST /v1/charge charges the saved card off-session: paid, with off_session, customer and payment_method sent', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const { card } = await stripeCardOf(cardToken);
    const answer = await charge(customerId, cardToken);
    expect(answer.body).toMatchObject({ code: '0000', data: { status: '0000', cardToken, paymentUrl: null } });
    const attempt = await attemptOf(answer.body.data.platFormTradeNo);
    expect(attempt).toMatchObject({ acquirer: 'stripe', status: 'approved', merchant_initiated: true, acquirer_reference: stripe.intentFor(attempt.id)!.id });
    const sent = intentCall(attempt.id).form;
    expect(sent).toMatchObject({ off_session: 'true', customer: card.customer, payment_method: card.paymentMethod, confirm: 'true', amount: '999', currency: 'usd' });
    expect(sent).not.toHaveProperty('return_url');
    // Idempotent by tradeNo: the same charge again is the same order, charged once.
    const again = await charge(customerId, cardToken, { tradeNo: answer.body.data.tradeNo });
    expect(again.body.data.platFormTradeNo).toBe(answer.body.data.platFormTradeNo);
    expect(stripe.charges(attempt.id)).toBe(1);
  });

  it('a saved card Stripe declines fails the charge with the reason, in one attempt', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    stripe.declineSales((await stripeCardOf(cardToken)).card.paymentMethod, { code: 'card_declined', decline_code: 'insufficient_funds' });
    const answer = await charge(customerId, cardToken);
    expect(answer.body.data).toMatchObject({ status: '00029', desc: expect.stringContaining('INSUFFICIENT_FUNDS'), paymentUrl: null });
    expect(await db().selectFrom('payment_attempts').select('status').where('order_no', '=', answer.body.data.platFormTradeNo).execute()).toEqual([{ status: 'declined' }]);
  });

  it('authentication_required off-session answers AUTHENTICATION_REQUIRED with a paymentUrl; the customer pays it on the page through 3-D Secure', async () => {
    const customerId = newCustomer();
    // 4000 0027 6000 3184 wants authentication on every sale: saving it passes 3-D Secure.
    const { cardToken } = await saveCard(customerId, '4000002760003184');
    const tradeNo = `SCH-${kind}-auth-${Date.now()}`;
    const answer = await charge(customerId, cardToken, { tradeNo });
    expect(answer.body.data).toMatchObject({ status: '00029', desc: expect.stringContaining('AUTHENTICATION_REQUIRED'), paymentUrl: expect.stringContaining('/checkout?data=') });
    expect(intentCall((await attemptOf(answer.body.data.platFormTradeNo)).id).form).toMatchObject({ off_session: 'true' });

    const present = new CashierClient(t, new URL(answer.body.data.paymentUrl).searchParams.get('data')!);
    expect((await present.open()).html).toContain('Pay 9.99 USD with Visa •••• 3184');
    const followUp = await db().selectFrom('orders').selectAll().where('trade_no', '=', `${tradeNo}.auth`).executeTakeFirstOrThrow();
    await present.post('/checkout/pay-saved', { cardToken });
    const attempt = await attemptOf(followUp.plat_form_trade_no);
    expect(intentCall(attempt.id).form).not.toHaveProperty('off_session');
    expect((await passThreeDS(followUp.plat_form_trade_no)).statusCode).toBe(200);
    expect(await db().selectFrom('orders').selectAll().where('trade_no', '=', `${tradeNo}.auth`).executeTakeFirstOrThrow()).toMatchObject({
      status: '0000',
      card_token: cardToken,
      merchant_initiated: false,
    });
  });

  it('deleting the card detaches its PaymentMethod at Stripe; a charge afterwards is 8009', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const { card } = await stripeCardOf(cardToken);
    const deleted = await t.post('/v1/card/delete', { cardToken });
    expect(deleted.body).toMatchObject({ code: '0000', data: { cardToken, deleted: true } });
    expect(stripe.received(`/v1/payment_methods/${card.paymentMethod}/detach`)).toHaveLength(1);
    expect(stripe.paymentMethod(card.paymentMethod)).toMatchObject({ customer: null });
    const before = stripe.received('/v1/payment_intents').length;
    expect((await charge(customerId, cardToken)).body.code).toBe('8009');
    expect(stripe.received('/v1/payment_intents')).toHaveLength(before);
  });

  it('Stripe\'s webhook for a sale that saves the card, arriving before the browser, does not settle it without the card: the return does, with it', async () => {
    const customerId = newCustomer();
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    await customer.pay('4000000000003220');
    const returned = await passThreeDS(customer.platFormTradeNo, async (attemptId) => {
      const intent = stripe.intentFor(attemptId)!;
      expect(intent).toMatchObject({ status: 'succeeded', setup_future_usage: 'off_session', payment_method: expect.stringMatching(/^pm_/) });
      const event = stripe.signedEvent('payment_intent.succeeded', intent);
      const delivered = await t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/stripe/webhook', headers: event.headers, payload: event.body });
      expect(delivered.statusCode).toBe(200);
      expect((await attemptOf(customer.platFormTradeNo)).status).toBe('challenge');
    });
    expect(returned.statusCode).toBe(200);
    const order = await query(customer.tradeNo);
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_/) });
    expect((await stripeCardOf(order.cardToken)).row).toMatchObject({ acquirer: 'stripe', card_last4: '3220' });
  });
});
