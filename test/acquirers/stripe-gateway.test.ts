import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';
import { reconcileRefunds } from '../../src/payments/refund-payment.ts';

const WEBHOOK_SECRET = 'whsec_testsecret';

describeEachDatabase('paying with ACQUIRER=stripe against a local Stripe', (kind) => {
  let stripe: FakeStripe;
  let t: TestGateway;
  const logLines: string[] = [];
  beforeAll(async () => {
    stripe = await startFakeStripe({ webhookSecret: WEBHOOK_SECRET });
    t = await startTestGateway(
      kind,
      { ACQUIRER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, ACQUIRER_TIMEOUT_MS: 500, LOG_LEVEL: 'info' },
      { configuredAcquirers: true, logTo: { write: (line: string) => void logLines.push(line) } },
    );
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  const db = () => t.gateway.context.db;
  const attemptsOf = (orderNo: string) => db().selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at').execute();
  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const eventsOf = (orderNo: string) => db().selectFrom('order_events').select('type').where('order_no', '=', orderNo).execute();
  const webhook = (event: { body: string; headers: Record<string, string> }) =>
    t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/stripe/webhook', headers: event.headers, payload: event.body });
  const reconcileNow = async (attemptId: string) => {
    await db().updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attemptId).execute();
    await reconcileAttempts(t.gateway.context);
  };
  const paidCustomer = async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4242424242424242');
    return customer;
  };

  it('pays: the attempt records stripe, the order is paid and the merchant is notified', async () => {
    const customer = await paidCustomer();
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt).toMatchObject({ acquirer: 'stripe', status: 'approved', acquirer_reference: stripe.intentFor(attempt!.id)!.id });
    const jobs = await db().selectFrom('jobs').select('kind').where('order_no', '=', customer.platFormTradeNo).execute();
    expect(jobs.map((job) => job.kind).sort()).toEqual(['email', 'notify']);
    const metrics = await t.gateway.context.metrics.registry.getSingleMetricAsString('payrail_acquirer_calls_total');
    expect(metrics).toMatch(/acquirer="stripe",operation="authorize",outcome="approved"\} [1-9]/);
  });

  it('a decline leaves the order payable; the merchant sees the reason', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const page = await customer.pay('4000000000009995');
    expect(page.html).toContain('declined');
    expect(await attemptsOf(customer.platFormTradeNo)).toMatchObject([{ status: 'declined', reason: 'INSUFFICIENT_FUNDS' }]);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015' });
  });

  it('a timeout is unknown; the webhook pays it; a duplicate, a forged and a late contrary event change nothing', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    stripe.faults.hangNext();
    await customer.pay('4242424242424242');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    const intent = stripe.intentFor(attempt!.id)!;

    // Forged (another secret), stale (signed 10 minutes ago) and unsigned events are refused.
    const forged = stripe.signedEvent('payment_intent.payment_failed', { ...intent, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } }, { secret: 'whsec_wrong' });
    expect((await webhook(forged)).statusCode).toBe(400);
    const stale = stripe.signedEvent('payment_intent.succeeded', intent, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect((await webhook(stale)).statusCode).toBe(400);
    expect((await webhook({ body: stale.body, headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    expect(logLines.join('\n')).toContain('processor webhook refused');
    expect(logLines.join('\n')).not.toContain(intent.id);

    const succeeded = stripe.signedEvent('payment_intent.succeeded', intent, { id: `evt_ok_${attempt!.id}` });
    expect((await webhook(succeeded)).statusCode).toBe(200);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    const eventsAfter = await eventsOf(customer.platFormTradeNo);

    expect((await webhook(succeeded)).statusCode).toBe(200);
    const contrary = stripe.signedEvent('payment_intent.payment_failed', { ...intent, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } });
    expect((await webhook(contrary)).statusCode).toBe(200);
    expect(await eventsOf(customer.platFormTradeNo)).toEqual(eventsAfter);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    const stored = await db().selectFrom('acquirer_events').selectAll().where('reference', '=', attempt!.id).execute();
    expect(stored.map((row) => row.event_id)).toContain(`evt_ok_${attempt!.id}`);
    expect(stored.filter((row) => row.event_id === `evt_ok_${attempt!.id}`)).toHaveLength(1);
    expect(stripe.charges(attempt!.id)).toBe(1);
  });

  it('a timeout is unknown; the reconciler finds the charge by our key: paid, charged once', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    stripe.faults.hangNext();
    await customer.pay('5555555555554444');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    await reconcileNow(attempt!.id);
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0000' });
    expect(stripe.charges(attempt!.id)).toBe(1);
  });

  it('refunds at Stripe: one goes through, one Stripe refuses fails; a lost answer is found again', async () => {
    const customer = await paidCustomer();
    const refund = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${customer.tradeNo}a`, amount: '100.00' });
    expect(refund.body.data).toMatchObject({ status: '0000' });
    stripe.faults.hangNext();
    const lost = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${customer.tradeNo}b`, amount: '50.00' });
    expect(lost.body.data).toMatchObject({ status: '0015' });
    await db().updateTable('refunds').set({ check_after: new Date(0) }).where('status', '=', '0015').execute();
    await reconcileRefunds(t.gateway.context);
    expect((await t.post('/v1/refund/query', { refundNo: `R${customer.tradeNo}b` })).body.data).toMatchObject({ status: '0000' });
    // A refund Stripe refuses (HTTP 400: it did nothing) fails, and the merchant is told.
    stripe.faults.failNext(400);
    const refused = await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo: `R${customer.tradeNo}c`, amount: '10.00' });
    expect(refused.body.data).toMatchObject({ status: '00029' });
  });
});
