import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startFakeAdyen, type FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';
import { updateMerchant } from '../../src/store/merchants.ts';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

describeEachDatabase('paying with ACQUIRER=adyen against a local Adyen, failing over to Stripe', (kind) => {
  let adyen: FakeAdyen;
  let stripe: FakeStripe;
  let t: TestGateway;
  const logLines: string[] = [];
  beforeAll(async () => {
    adyen = await startFakeAdyen({ apiKey: 'test-key', merchantAccount: 'PayrailECOM' });
    stripe = await startFakeStripe({ webhookSecret: 'whsec_x' });
    t = await startTestGateway(
      kind,
      {
        ACQUIRER: 'adyen',
        ADYEN_API_KEY: 'test-key',
        ADYEN_MERCHANT_ACCOUNT: 'PayrailECOM',
        ADYEN_HMAC_KEY: HMAC_KEY,
        ADYEN_CHECKOUT_URL: adyen.checkoutUrl,
        STRIPE_SECRET_KEY: 'sk_test_fake',
        STRIPE_API_URL: stripe.url,
        ACQUIRER_TIMEOUT_MS: 500,
        LOG_LEVEL: 'info',
      },
      { configuredAcquirers: true, logTo: { write: (line: string) => void logLines.push(line) } },
    );
  });
  afterAll(async () => {
    await t?.close();
    await adyen?.close();
    await stripe?.close();
  });

  const db = () => t.gateway.context.db;
  const attemptsOf = (orderNo: string) => db().selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at').orderBy('failed_over', 'desc').execute();
  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const notify = (body: string) => t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/adyen/webhook', headers: { 'content-type': 'application/json' }, payload: body });
  const customerPaying = async (holder = 'Ada Lovelace') => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const page = await customer.pay('4111111145551142', { holder });
    return Object.assign(customer, { page });
  };

  it('pays; each decline maps to its reason', async () => {
    const paid = await customerPaying();
    expect(await statusOf(paid.tradeNo)).toMatchObject({ status: '0000' });
    expect(await attemptsOf(paid.platFormTradeNo)).toMatchObject([{ acquirer: 'adyen', status: 'approved' }]);
    const declined = await customerPaying('NOT_ENOUGH_BALANCE');
    expect(await attemptsOf(declined.platFormTradeNo)).toMatchObject([{ status: 'declined', reason: 'INSUFFICIENT_FUNDS' }]);
  });

  it('a timeout is unknown; the AUTHORISATION webhook pays it; a duplicate and a forged batch change nothing', async () => {
    adyen.faults.hangNext();
    const customer = await customerPaying();
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    const payment = adyen.payment(attempt!.id)!;
    const item = { pspReference: payment.pspReference, merchantReference: attempt!.id, amount: payment.amount, eventCode: 'AUTHORISATION', success: 'true' };

    const forged = await notify(adyen.notification(item, 'AB'.repeat(32)));
    expect(forged.statusCode).toBe(400);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    expect(logLines.join('\n')).toContain('processor webhook refused');
    expect(logLines.join('\n')).not.toContain(payment.pspReference);

    const accepted = await notify(adyen.notification(item, HMAC_KEY));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toBe('[accepted]');
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    const events = await db().selectFrom('order_events').select('type').where('order_no', '=', customer.platFormTradeNo).execute();
    expect((await notify(adyen.notification(item, HMAC_KEY))).body).toBe('[accepted]');
    expect((await notify(adyen.notification({ ...item, success: 'false', reason: 'Refused' }, HMAC_KEY))).body).toBe('[accepted]');
    expect(await db().selectFrom('order_events').select('type').where('order_no', '=', customer.platFormTradeNo).execute()).toEqual(events);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    expect(adyen.authorisations(attempt!.id)).toBe(1);
  });

  it('an attempt still unknown past the bound is cancelled at Adyen by our reference; the order is payable again', async () => {
    adyen.faults.hangNext();
    const customer = await customerPaying();
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    await db().updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attempt!.id).execute();
    await reconcileAttempts(t.gateway.context);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown'); // within the bound: wait for the webhook
    await db().updateTable('payment_attempts').set({ check_after: new Date(0), updated_at: new Date(Date.now() - 3_600_000) }).where('id', '=', attempt!.id).execute();
    await reconcileAttempts(t.gateway.context);
    expect(await attemptsOf(customer.platFormTradeNo)).toMatchObject([{ status: 'error', reason: 'CANCELLED_UNKNOWN' }]);
    expect(adyen.payment(attempt!.id)?.cancelled).toBe(true);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
  });

  it('refunds are settled by the REFUND webhook: success, and failure', async () => {
    const customer = await customerPaying();
    const refunds: string[] = [];
    for (const suffix of ['ok', 'ko']) {
      const refundNo = `R${customer.tradeNo}${suffix}`;
      expect((await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo, amount: '10.00' })).body.data).toMatchObject({ status: '0015' });
      refunds.push((await db().selectFrom('refunds').select('id').where('refund_no', '=', refundNo).executeTakeFirstOrThrow()).id);
    }
    const sale = (await attemptsOf(customer.platFormTradeNo))[0]!;
    const refundItem = (id: string, success: string) => ({ pspReference: `REF${id}`, originalReference: sale.acquirer_reference, merchantReference: id, amount: { value: 1000, currency: 'USD' }, eventCode: 'REFUND', success });
    expect((await notify(adyen.notification(refundItem(refunds[0]!, 'true'), HMAC_KEY))).statusCode).toBe(200);
    expect((await notify(adyen.notification(refundItem(refunds[1]!, 'false'), HMAC_KEY))).statusCode).toBe(200);
    expect((await t.post('/v1/refund/query', { refundNo: `R${customer.tradeNo}ok` })).body.data).toMatchObject({ status: '0000' });
    expect((await t.post('/v1/refund/query', { refundNo: `R${customer.tradeNo}ko` })).body.data).toMatchObject({ status: '00029' });
  });

  it('fails over from an Adyen 503 to Stripe as a new attempt, invisibly; a 500 (unknown) is never failed over', async () => {
    await updateMerchant(db(), t.merchant.merchantNo, { acquirers: ['adyen', 'stripe'] });
    t.gateway.context.merchants.forget(t.merchant.merchantNo);
    adyen.faults.failNext(503);
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const page = await customer.pay('4242424242424242');
    expect(page.html).not.toContain('declined');
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    expect(await attemptsOf(customer.platFormTradeNo)).toMatchObject([
      { acquirer: 'adyen', status: 'error', reason: 'PROCESSING_ERROR', failed_over: true },
      { acquirer: 'stripe', status: 'approved' },
    ]);
    const metrics = await t.gateway.context.metrics.registry.getSingleMetricAsString('payrail_acquirer_calls_total');
    expect(metrics).toMatch(/acquirer="adyen",operation="authorize",outcome="error"\} [1-9]/);

    adyen.faults.failNext(500);
    const unsure = await CashierClient.forNewOrder(t);
    await unsure.open();
    await unsure.pay('4242424242424242');
    expect(await attemptsOf(unsure.platFormTradeNo)).toMatchObject([{ acquirer: 'adyen', status: 'unknown' }]);
    await updateMerchant(db(), t.merchant.merchantNo, { acquirers: [] });
    t.gateway.context.merchants.forget(t.merchant.merchantNo);
  });
});
