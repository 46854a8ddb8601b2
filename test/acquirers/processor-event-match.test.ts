import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createUser, DashboardClient } from '../support/dashboard-client.ts';
import { startFakeAdyen, type FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { updateMerchant } from '../../src/store/merchants.ts';
import { logAcquirersInUse } from '../../src/acquirers-in-use.ts';

const WEBHOOK_SECRET = 'whsec_match';
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
/** Put in forged bodies: no log line may carry it. */
const BODY_MARKER = 'forged-body-marker';

/**
 * The forged events of issue 21: signed by the processor, naming one of our attempts or refunds,
 * but about another payment, amount or currency. They settle nothing; each is stored with what
 * did not match, counted, logged at warn without its body and shown on the order page.
 */
describeEachDatabase('processor events settle only the payment they are about', (kind) => {
  let stripe: FakeStripe;
  let adyen: FakeAdyen;
  let t: TestGateway;
  let operator: DashboardClient;
  const logLines: string[] = [];
  beforeAll(async () => {
    stripe = await startFakeStripe({ webhookSecret: WEBHOOK_SECRET });
    adyen = await startFakeAdyen({ apiKey: 'test-key', merchantAccount: 'PayrailECOM' });
    t = await startTestGateway(
      kind,
      {
        ACQUIRER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_fake',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.url,
        ADYEN_API_KEY: 'test-key',
        ADYEN_MERCHANT_ACCOUNT: 'PayrailECOM',
        ADYEN_HMAC_KEY: HMAC_KEY,
        ADYEN_CHECKOUT_URL: adyen.checkoutUrl,
        ACQUIRER_TIMEOUT_MS: 500,
        LOG_LEVEL: 'info',
      },
      { configuredAcquirers: true, logTo: { write: (line: string) => void logLines.push(line) } },
    );
    const ops = await createUser(t.gateway.context.db, { email: 'ops@example.com', role: 'operator' });
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(ops.email, ops.password);
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
    await adyen?.close();
  });

  const db = () => t.gateway.context.db;
  const attemptsOf = (orderNo: string) => db().selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at').execute();
  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const postingsOf = (orderNo: string) => db().selectFrom('ledger_postings').select('kind').where('order_no', '=', orderNo).execute();
  const storedEvent = (eventId: string) => db().selectFrom('acquirer_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  const mismatchCount = async (acquirer: string) => {
    const text = await t.gateway.context.metrics.registry.getSingleMetricAsString('payrail_processor_events_total');
    return Number(new RegExp(`acquirer="${acquirer}",result="mismatch"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };
  const stripeWebhook = (event: { body: string; headers: Record<string, string> }) =>
    t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/stripe/webhook', headers: event.headers, payload: event.body });
  const signedStripe = (body: string, timestamp = Math.floor(Date.now() / 1000)) => ({
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex')}` },
  });
  const adyenWebhook = (body: string) => t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/adyen/webhook', headers: { 'content-type': 'application/json' }, payload: body });
  const useAcquirers = async (acquirers: string[]) => {
    await updateMerchant(db(), t.merchant.merchantNo, { acquirers });
    t.gateway.context.merchants.forget(t.merchant.merchantNo);
  };
  const customerPaying = async (card: string, holder = 'Ada Lovelace') => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay(card, { holder });
    return customer;
  };
  const expectShownOnOrderPage = async (orderNo: string, ...texts: string[]) => {
    const page = await operator.get(`/dashboard/orders/${orderNo}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Processor events that did not match');
    for (const text of texts) expect(page.html).toContain(text);
  };

  it('Stripe: another PaymentIntent for 0.01 EUR naming our in-flight attempt settles nothing; the real one pays', async () => {
    stripe.faults.hangNext();
    const customer = await customerPaying('4242424242424242');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    const before = await mismatchCount('stripe');

    const forged = stripe.signedEvent(
      'payment_intent.succeeded',
      { id: 'pi_other', object: 'payment_intent', status: 'succeeded', amount: 1, currency: 'eur', description: BODY_MARKER, metadata: { payrail_attempt: attempt!.id } },
      { id: `evt_forged_${attempt!.id}` },
    );
    const answer = await stripeWebhook(forged);
    expect(answer.statusCode).toBe(200);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015' });
    expect(await postingsOf(customer.platFormTradeNo)).toEqual([]);
    expect(await storedEvent(`evt_forged_${attempt!.id}`)).toMatchObject({
      order_no: customer.platFormTradeNo,
      reference: attempt!.id,
      mismatch: [
        { field: 'amount', expected: '30000', received: '1' },
        { field: 'currency', expected: 'USD', received: 'EUR' },
      ],
    });
    expect(await mismatchCount('stripe')).toBe(before + 1);
    const warning = logLines.find((line) => line.includes(`evt_forged_${attempt!.id}`) && line.includes('does not match'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    expect(logLines.join('\n')).not.toContain(BODY_MARKER);
    await expectShownOnOrderPage(customer.platFormTradeNo, `evt_forged_${attempt!.id}`, 'amount', '30000');

    const real = stripe.signedEvent('payment_intent.succeeded', stripe.intentFor(attempt!.id)!);
    expect((await stripeWebhook(real)).statusCode).toBe(200);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
  });

  it('Stripe: once the PaymentIntent id is recorded, another intent with our amount and currency settles nothing', async () => {
    const customer = await customerPaying('4000000000003220'); // 3-D Secure: the attempt waits on its intent
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('challenge');
    const ours = stripe.intentFor(attempt!.id)!;
    const forged = stripe.signedEvent('payment_intent.succeeded', { ...ours, id: 'pi_other', status: 'succeeded' }, { id: `evt_other_${attempt!.id}` });
    expect((await stripeWebhook(forged)).statusCode).toBe(200);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('challenge');
    expect((await storedEvent(`evt_other_${attempt!.id}`))?.mismatch).toEqual([{ field: 'payment', expected: ours.id, received: 'pi_other' }]);
  });

  it('Stripe: a refund event for another amount settles nothing; the matching one settles the refund', async () => {
    const customer = await customerPaying('4242424242424242');
    stripe.faults.hangNext();
    const refundNo = `R${customer.tradeNo}`;
    expect((await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo, amount: '100.00' })).body.data).toMatchObject({ status: '0015' });
    const refund = await db().selectFrom('refunds').selectAll().where('refund_no', '=', refundNo).executeTakeFirstOrThrow();
    const sale = (await attemptsOf(customer.platFormTradeNo))[0]!;
    const object = { id: 're_x', object: 'refund', status: 'succeeded', amount: 1, currency: 'usd', payment_intent: sale.acquirer_reference, metadata: { payrail_refund: refund.id } };
    expect((await stripeWebhook(stripe.signedEvent('refund.updated', object, { id: `evt_rf_${refund.id}` }))).statusCode).toBe(200);
    expect((await t.post('/v1/refund/query', { refundNo })).body.data).toMatchObject({ status: '0015' });
    expect((await storedEvent(`evt_rf_${refund.id}`))?.mismatch).toEqual([{ field: 'amount', expected: '10000', received: '1' }]);
    await expectShownOnOrderPage(customer.platFormTradeNo, `evt_rf_${refund.id}`);
    const otherSale = stripe.signedEvent('refund.updated', { ...object, amount: 10000, payment_intent: 'pi_other' });
    expect((await stripeWebhook(otherSale)).statusCode).toBe(200);
    expect((await t.post('/v1/refund/query', { refundNo })).body.data).toMatchObject({ status: '0015' });
    expect((await stripeWebhook(stripe.signedEvent('refund.updated', { ...object, amount: 10000 })))).toMatchObject({ statusCode: 200 });
    expect((await t.post('/v1/refund/query', { refundNo })).body.data).toMatchObject({ status: '0000' });
  });

  it('Stripe: signed events of an odd shape are acknowledged and stored as unreadable; a future timestamp is refused', async () => {
    stripe.faults.hangNext();
    const customer = await customerPaying('4242424242424242');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    const intent = stripe.intentFor(attempt!.id)!;
    const event = (extra: Record<string, unknown>, object: Record<string, unknown> = intent) => JSON.stringify({ object: 'event', type: 'payment_intent.succeeded', data: { object }, ...extra });
    const odd = [
      event({}), // no id
      '[]',
      JSON.stringify([event({ id: 'evt_in_array' })]),
      event({ id: 'evt_\u0000nul' }),
      event({ id: `evt_nulmeta_${attempt!.id}` }, { ...intent, metadata: { payrail_attempt: `${attempt!.id}\u0000` } }),
      event({ id: `evt_nulref_${attempt!.id}` }, { ...intent, id: 'pi_\u0000' }),
    ];
    for (const body of odd) {
      const answer = await stripeWebhook(signedStripe(body));
      expect(answer.statusCode, body).toBe(200);
    }
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    const unreadable = await db().selectFrom('acquirer_events').select('unreadable').where('acquirer', '=', 'stripe').where('unreadable', 'is not', null).execute();
    expect(unreadable.length).toBeGreaterThanOrEqual(odd.length);

    const real = stripe.signedEvent('payment_intent.succeeded', intent, { timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect((await stripeWebhook(real)).statusCode).toBe(400);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
  });

  it('Adyen: an AUTHORISATION of 0.01 EUR with our attempt as merchantReference settles nothing; the real one pays', async () => {
    await useAcquirers(['adyen']);
    adyen.faults.hangNext();
    const customer = await customerPaying('4111111145551142');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt).toMatchObject({ acquirer: 'adyen', status: 'unknown' });
    const payment = adyen.payment(attempt!.id)!;
    const before = await mismatchCount('adyen');
    const forged = { pspReference: 'FORGED1', merchantReference: attempt!.id, amount: { value: 1, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true', reason: BODY_MARKER };
    const answer = await adyenWebhook(adyen.notification(forged, HMAC_KEY));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe('[accepted]');
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    expect(await postingsOf(customer.platFormTradeNo)).toEqual([]);
    expect((await storedEvent('FORGED1:AUTHORISATION:true'))?.mismatch).toEqual([
      { field: 'amount', expected: '30000', received: '1' },
      { field: 'currency', expected: 'USD', received: 'EUR' },
    ]);
    expect(await mismatchCount('adyen')).toBe(before + 1);
    expect(logLines.join('\n')).not.toContain(BODY_MARKER);
    await expectShownOnOrderPage(customer.platFormTradeNo, 'FORGED1:AUTHORISATION:true');

    const real = { pspReference: payment.pspReference, merchantReference: attempt!.id, amount: payment.amount, eventCode: 'AUTHORISATION', success: 'true' };
    expect((await adyenWebhook(adyen.notification(real, HMAC_KEY))).statusCode).toBe(200);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
  });

  it('Adyen: a REFUND against another payment settles nothing; the matching one does', async () => {
    await useAcquirers(['adyen']);
    const customer = await customerPaying('4111111145551142');
    const refundNo = `R${customer.tradeNo}`;
    expect((await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo, amount: '10.00' })).body.data).toMatchObject({ status: '0015' });
    const refund = await db().selectFrom('refunds').select('id').where('refund_no', '=', refundNo).executeTakeFirstOrThrow();
    const sale = (await attemptsOf(customer.platFormTradeNo))[0]!;
    const item = { pspReference: `REF${refund.id}`, originalReference: 'SOMEONE_ELSE', merchantReference: refund.id, amount: { value: 1000, currency: 'USD' }, eventCode: 'REFUND', success: 'true' };
    expect((await adyenWebhook(adyen.notification(item, HMAC_KEY))).statusCode).toBe(200);
    expect((await t.post('/v1/refund/query', { refundNo })).body.data).toMatchObject({ status: '0015' });
    expect((await storedEvent(`REF${refund.id}:REFUND:true`))?.mismatch).toEqual([{ field: 'payment', expected: sale.acquirer_reference, received: 'SOMEONE_ELSE' }]);
    const matching = { ...item, pspReference: `REF2${refund.id}`, originalReference: sale.acquirer_reference };
    expect((await adyenWebhook(adyen.notification(matching, HMAC_KEY))).statusCode).toBe(200);
    expect((await t.post('/v1/refund/query', { refundNo })).body.data).toMatchObject({ status: '0000' });
  });

  it('Adyen: an unsigned item whose hmacSignature is a number, true, an object, null or an array is 400 with no error logged', async () => {
    const errorsBefore = logLines.filter((line) => JSON.parse(line).level >= 50).length;
    for (const hmacSignature of [5, true, { a: 1 }, null, [1]]) {
      const body = JSON.stringify({ notificationItems: [{ NotificationRequestItem: { pspReference: 'P', eventCode: 'AUTHORISATION', success: 'true', additionalData: { hmacSignature } } }] });
      expect((await adyenWebhook(body)).statusCode).toBe(400);
    }
    for (const body of ['', 'null', '"x"', '[]', '{"notificationItems":{}}', '{"notificationItems":[null]}', '{"notificationItems":[{"NotificationRequestItem":{"additionalData":7}}]}']) {
      expect((await adyenWebhook(body)).statusCode, body).toBe(400);
    }
    expect(logLines.filter((line) => JSON.parse(line).level >= 50).length).toBe(errorsBefore);
  });

  it('Adyen: a signed item with a NUL in merchantReference or pspReference is acknowledged and stored as unreadable', async () => {
    await useAcquirers(['adyen']);
    adyen.faults.hangNext();
    const customer = await customerPaying('4111111145551142');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    const payment = adyen.payment(attempt!.id)!;
    for (const change of [{ merchantReference: `${attempt!.id}\u0000` }, { pspReference: `${payment.pspReference}\u0000` }]) {
      const item = { pspReference: payment.pspReference, merchantReference: attempt!.id, amount: payment.amount, eventCode: 'AUTHORISATION', success: 'true', ...change };
      const answer = await adyenWebhook(adyen.notification(item, HMAC_KEY));
      expect(answer.statusCode).toBe(200);
      expect(answer.body).toBe('[accepted]');
    }
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    const unreadable = await db().selectFrom('acquirer_events').select('unreadable').where('acquirer', '=', 'adyen').where('unreadable', 'is not', null).execute();
    expect(unreadable.length).toBe(2);
    await useAcquirers([]);
  });

  it('at start, logs the acquirers in use (the default and those merchants name) and whether each webhook secret is set, never a secret', async () => {
    await useAcquirers(['adyen', 'http']);
    const from = logLines.length;
    await logAcquirersInUse(t.gateway.context);
    const lines = logLines.slice(from).map((line) => JSON.parse(line));
    expect(lines.find((line) => line.msg === 'acquirers in use')).toMatchObject({
      level: 30,
      default: 'stripe',
      namedByMerchants: ['adyen', 'http'],
      notConfigured: ['http'],
      webhookSecrets: { stripe: 'set', adyen: 'set' },
    });
    expect(lines.find((line) => line.level === 40)).toMatchObject({ acquirers: ['http'] });
    expect(logLines.slice(from).join('\n')).not.toContain(WEBHOOK_SECRET);
    expect(logLines.slice(from).join('\n')).not.toContain(HMAC_KEY);
    await useAcquirers([]);
  });

  it('no signed or unsigned body makes either webhook answer 5xx, through to the database (property)', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 10 });
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    const field = fc.oneof(text, json);
    const attemptRef = fc.oneof(text, fc.constant('att_x\u0000'), fc.constant('x'.repeat(400)));
    const stripeBody = fc.oneof(
      json.map((value) => JSON.stringify(value)),
      fc.record({ id: field, type: field, data: fc.record({ object: fc.record({ id: field, object: fc.constantFrom('payment_intent', 'refund'), status: field, amount: field, currency: field, metadata: fc.record({ payrail_attempt: attemptRef, payrail_refund: attemptRef }) }) }) }).map((value) => JSON.stringify(value)),
    );
    const adyenItem = fc.record({ pspReference: field, merchantReference: attemptRef, originalReference: field, eventCode: fc.oneof(fc.constantFrom('AUTHORISATION', 'REFUND'), field), success: fc.oneof(fc.constantFrom('true', 'false'), field), amount: fc.oneof(fc.record({ value: field, currency: field }), json) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(stripeBody, fc.array(adyenItem, { minLength: 1, maxLength: 2 }), fc.boolean(), async (body, items, sign) => {
        const stripeAnswer = await stripeWebhook(sign ? signedStripe(body) : { body, headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } });
        expect(stripeAnswer.statusCode).toBeLessThan(500);
        const batch = { notificationItems: items.map((item) => ({ NotificationRequestItem: sign ? JSON.parse(adyen.notification(item, HMAC_KEY)).notificationItems[0].NotificationRequestItem : item })) };
        const adyenAnswer = await adyenWebhook(JSON.stringify(batch));
        expect(adyenAnswer.statusCode).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });
});
