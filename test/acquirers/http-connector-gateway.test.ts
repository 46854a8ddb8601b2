import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { startGatewayOnAcquirerSim } from '../support/acquirer-sim-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import type { AcquirerSimServer } from '../../src/acquirer-sim/server.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

describeEachDatabase('paying through the http connector when the network fails', (kind) => {
  let gateway: Awaited<ReturnType<typeof startGatewayOnAcquirerSim>>;
  let sim: AcquirerSimServer;
  let t: TestGateway;
  beforeAll(async () => {
    gateway = await startGatewayOnAcquirerSim(kind);
    ({ sim, t } = gateway);
  });
  afterAll(() => gateway.close());

  const attemptsOf = (orderNo: string) =>
    t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).execute();
  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  /** What the reconciler does on its own schedule, now. */
  const reconcileNow = async (attemptId: string) => {
    await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attemptId).execute();
    await reconcileAttempts(t.gateway.context);
  };

  it('pays normally when the network is fine', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    expect((await customer.pay('4242424242424242')).status).toBe(200);
    expect((await statusOf(customer.tradeNo)).status).toBe('0000');
  });

  it('settles a dropped answer by reconciliation: paid, charged exactly once', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    sim.faults.dropNext(1);
    const page = await customer.pay('4242424242424242');
    expect(page.status).toBe(200);
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015', desc: 'PROCESSING' });

    await reconcileNow(attempt!.id);
    await reconcileNow(attempt!.id);
    expect((await statusOf(customer.tradeNo)).status).toBe('0000');
    expect(await sim.chargeCount(attempt!.id)).toBe(1);
    expect(await attemptsOf(customer.platFormTradeNo)).toHaveLength(1);
  });

  it('settles a 5xx after the charge the same way', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    sim.faults.fail5xxNext(1);
    await customer.pay('5555555555554444');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    await reconcileNow(attempt!.id);
    expect((await statusOf(customer.tradeNo)).status).toBe('0000');
    expect(await sim.chargeCount(attempt!.id)).toBe(1);
  });

  it('keeps the order unresolved while the acquirer cannot be reached, and settles when it can', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    sim.faults.dropNext(2);
    await customer.pay('4242424242424242');
    const [attempt] = await attemptsOf(customer.platFormTradeNo);
    await reconcileNow(attempt!.id); // the query is dropped too: still unknown, never a guess
    expect((await attemptsOf(customer.platFormTradeNo))[0]!.status).toBe('unknown');
    await reconcileNow(attempt!.id);
    expect((await statusOf(customer.tradeNo)).status).toBe('0000');
    expect(await sim.chargeCount(attempt!.id)).toBe(1);
  });
});
