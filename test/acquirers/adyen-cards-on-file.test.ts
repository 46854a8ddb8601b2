import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startGatewayWithLocalAdyen } from '../support/processor-gateways.ts';
import type { FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { customerReference } from '../../src/payments/customer-reference.ts';

/** Section 14 of the contract with ACQUIRER=adyen: the requests carry Adyen's stored-credential fields, and its answers map. */
describeEachDatabase('cards on file through Adyen, against a local Adyen', (kind) => {
  let adyen: FakeAdyen;
  let t: TestGateway;
  let customers = 0;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ adyen, t, close } = await startGatewayWithLocalAdyen(kind));
  });
  afterAll(() => close());

  const newCustomer = () => `cus-adyen-${kind}-${++customers}-${Date.now()}`;
  const shopperOf = (customerId: string) => customerReference(t.merchant.merchantNo, customerId);
  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attemptOf = (orderNo: string) => t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).executeTakeFirstOrThrow();
  let charges = 0;
  const charge = (customerId: string, cardToken: string, overrides: Record<string, string> = {}) =>
    t.post('/v1/charge', { tradeNo: `CHA-${kind}-${++charges}-${Date.now()}`, amount: '9.99', currency: 'USD', customerId, cardToken, notifyUrl: 'https://merchant.example/n', reason: 'RECURRING', ...overrides });

  /** The customer ticks "save this card" and pays through the cashier's POST; answers our cardToken. */
  async function saveCard(customerId: string, number = '4111111145551142') {
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'optional' });
    await customer.open();
    expect((await customer.pay(number, { saveCard: 'yes', expiry: '07/31' })).status).toBe(200);
    const order = await query(customer.tradeNo);
    expect(order).toMatchObject({ status: '0000', cardToken: expect.stringMatching(/^ct_[0-9a-z]{24}$/) });
    return { cardToken: order.cardToken as string, saving: await attemptOf(customer.platFormTradeNo) };
  }

  it('saves the card with consent: storePaymentMethod under the shopperReference; we keep Adyen\'s token sealed, never the number', async () => {
    const customerId = newCustomer();
    const { cardToken, saving } = await saveCard(customerId);
    expect(adyen.payment(saving.id)!.request).toMatchObject({
      storePaymentMethod: true,
      shopperReference: shopperOf(customerId),
      shopperInteraction: 'Ecommerce',
      recurringProcessingModel: 'CardOnFile',
    });
    const [stored] = adyen.storedMethods(shopperOf(customerId));
    const row = await t.gateway.context.db.selectFrom('saved_cards').selectAll().where('card_token', '=', cardToken).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ acquirer: 'adyen', card_last4: '1142', expiry_month: 7, expiry_year: 2031 });
    expect(row.acquirer_token_sealed).not.toContain(stored!.id);
    expect(t.gateway.context.masterKey.open(row.acquirer_token_sealed)).toBe(stored!.id);
    expect(JSON.stringify(row)).not.toContain('4111111145551142');
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toEqual([
      { cardToken, brand: 'visa', last4: '1142', expiryMonth: 7, expiryYear: 2031, createdTime: expect.any(String) },
    ]);
  });

  it('pays again in one step on the cashier page: the stored method, customer-initiated, no card number sent', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const [stored] = adyen.storedMethods(shopperOf(customerId));
    const again = await CashierClient.forNewOrder(t, { customerId, amount: '12.00' });
    expect((await again.open()).html).toContain('Pay 12.00 USD with Visa •••• 1142');
    expect((await again.post('/checkout/pay-saved', { cardToken })).status).toBe(200);
    expect(await query(again.tradeNo)).toMatchObject({ status: '0000', cardToken });
    const request = adyen.payment((await attemptOf(again.platFormTradeNo)).id)!.request;
    expect(request).toMatchObject({
      amount: { value: 1200, currency: 'USD' },
      paymentMethod: { type: 'scheme', storedPaymentMethodId: stored!.id },
      shopperReference: shopperOf(customerId),
      shopperInteraction: 'ContAuth',
      recurringProcessingModel: 'CardOnFile',
    });
    expect(request.paymentMethod).not.toHaveProperty('number');
    expect(request).not.toHaveProperty('storePaymentMethod');
  });

  it('POST /v1/charge is a ContAuth sale of the stored method: Subscription for RECURRING, UnscheduledCardOnFile for UNSCHEDULED', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const [stored] = adyen.storedMethods(shopperOf(customerId));
    for (const [reason, model] of [['RECURRING', 'Subscription'], ['UNSCHEDULED', 'UnscheduledCardOnFile'], ['INSTALMENT', 'Subscription']] as const) {
      const answer = await charge(customerId, cardToken, { reason });
      expect(answer.body).toMatchObject({ code: '0000', data: { status: '0000', desc: 'SUCCESS', cardToken, paymentUrl: null } });
      const attempt = await attemptOf(answer.body.data.platFormTradeNo);
      expect(attempt).toMatchObject({ acquirer: 'adyen', status: 'approved', merchant_initiated: true, acquirer_reference: adyen.payment(attempt.id)!.pspReference });
      expect(adyen.payment(attempt.id)!.request).toMatchObject({
        reference: attempt.id,
        amount: { value: 999, currency: 'USD' },
        paymentMethod: { type: 'scheme', storedPaymentMethodId: stored!.id },
        shopperReference: shopperOf(customerId),
        shopperInteraction: 'ContAuth',
        recurringProcessingModel: model,
      });
    }
  });

  it('a merchant-initiated decline fails the charge with its reason', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId, '4000000000000341');
    const answer = await charge(customerId, cardToken);
    expect(answer.body).toMatchObject({ code: '0000', data: { status: '00029', desc: 'DO_NOT_HONOR', paymentUrl: null } });
  });

  it('Adyen\'s "Authentication required" is AUTHENTICATION_REQUIRED with a paymentUrl the customer pays, present, in one step', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId, '4000002760003184');
    const tradeNo = `CHA-${kind}-auth-${Date.now()}`;
    const answer = await charge(customerId, cardToken, { tradeNo, reason: 'UNSCHEDULED' });
    expect(answer.body.data).toMatchObject({ status: '00029', desc: 'AUTHENTICATION_REQUIRED', paymentUrl: expect.stringContaining('/checkout?data=') });
    expect(adyen.payment((await attemptOf(answer.body.data.platFormTradeNo)).id)!.request).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'UnscheduledCardOnFile' });

    const present = new CashierClient(t, new URL(answer.body.data.paymentUrl).searchParams.get('data')!);
    expect((await present.open()).html).toContain('Pay 9.99 USD with Visa •••• 3184');
    await present.post('/checkout/pay-saved', { cardToken });
    const followUp = await t.gateway.context.db.selectFrom('orders').selectAll().where('trade_no', '=', `${tradeNo}.auth`).executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({ status: '0000', card_token: cardToken, merchant_initiated: false });
    expect(adyen.payment((await attemptOf(followUp.plat_form_trade_no)).id)!.request).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile' });
  });

  it('saves a card through a 3-D Secure redirect (its expiry from Adyen\'s expiryDate); paying with it in one step redirects too; a charge on it is AUTHENTICATION_REQUIRED', async () => {
    const customerId = newCustomer();
    const comeBack = async (reference: string) => {
      const back = await adyen.authenticate(reference);
      return t.gateway.app.inject({ method: 'GET', url: back.pathname + back.search });
    };
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    await customer.pay('4917610000000000', { expiry: '07/31' });
    const saving = await attemptOf(customer.platFormTradeNo);
    expect(saving.status).toBe('challenge');
    expect((await comeBack(saving.id)).statusCode).toBe(200);
    const { cardToken } = await query(customer.tradeNo);
    expect(cardToken).toMatch(/^ct_[0-9a-z]{24}$/);
    const [stored] = adyen.storedMethods(shopperOf(customerId));
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toMatchObject([{ cardToken, last4: '0000', expiryMonth: 7, expiryYear: 2031 }]);

    const again = await CashierClient.forNewOrder(t, { customerId });
    await again.open();
    await again.post('/checkout/pay-saved', { cardToken });
    const oneStep = await attemptOf(again.platFormTradeNo);
    expect(oneStep.status).toBe('challenge');
    expect(adyen.payment(oneStep.id)!.request).toMatchObject({ paymentMethod: { storedPaymentMethodId: stored!.id }, shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile' });
    expect((await comeBack(oneStep.id)).statusCode).toBe(200);
    expect(await query(again.tradeNo)).toMatchObject({ status: '0000', cardToken });

    expect((await charge(customerId, cardToken)).body.data).toMatchObject({ status: '00029', desc: 'AUTHENTICATION_REQUIRED', paymentUrl: expect.stringContaining('/checkout?data=') });
  });

  it('deletes the card here and at Adyen (DELETE with the shopperReference); a charge afterwards is 8009', async () => {
    const customerId = newCustomer();
    const { cardToken } = await saveCard(customerId);
    const [stored] = adyen.storedMethods(shopperOf(customerId));
    expect((await t.post('/v1/card/delete', { cardToken })).body).toMatchObject({ code: '0000', data: { cardToken, deleted: true } });
    expect(adyen.deletions).toContainEqual({ storedPaymentMethodId: stored!.id, shopperReference: shopperOf(customerId), merchantAccount: 'PayrailECOM' });
    expect(adyen.storedMethods(shopperOf(customerId))).toEqual([]);
    expect((await charge(customerId, cardToken)).body.code).toBe('8009');
    expect((await t.post('/v1/card/list', { customerId })).body.data.cards).toEqual([]);
  });
});
