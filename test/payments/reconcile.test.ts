import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

describeEachDatabase('reconciling an attempt the acquirer never saw (a crash before the call)', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { ACQUIRER_TIMEOUT_MS: 1000 });
  });
  afterAll(() => t.close());

  /** An attempt recorded as sent, as if the process died before the acquirer heard of it. */
  const strandedAttempt = async () => {
    const customer = await CashierClient.forNewOrder(t);
    const { attempt } = await customer.startAttemptInStore('f'.repeat(64));
    return { customer, attempt };
  };
  const statusOf = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attemptStatus = async (id: string) =>
    (await t.gateway.context.db.selectFrom('payment_attempts').select(['status', 'reason']).where('id', '=', id).executeTakeFirstOrThrow());

  it('keeps it in flight while the request could still reach the acquirer', async () => {
    const { customer, attempt } = await strandedAttempt();
    await reconcileAttempts(t.gateway.context);
    expect(await attemptStatus(attempt.id)).toMatchObject({ status: 'processing' });
    expect((await statusOf(customer.tradeNo)).desc).toBe('PROCESSING');
  });

  it('ends it as never received, no money moved, once that time is long past: the order is payable again', async () => {
    const { customer, attempt } = await strandedAttempt();
    await t.gateway.context.db.updateTable('payment_attempts').set({ updated_at: new Date(Date.now() - 60_000), check_after: new Date(0) }).where('id', '=', attempt.id).execute();
    await reconcileAttempts(t.gateway.context);
    expect(await attemptStatus(attempt.id)).toMatchObject({ status: 'error', reason: 'NOT_RECEIVED' });
    expect(await statusOf(customer.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
    expect(await t.acquirer.chargeCount(attempt.id)).toBe(0);
    await customer.open();
    expect((await customer.pay('4242424242424242')).status).toBe(200);
    expect((await statusOf(customer.tradeNo)).status).toBe('0000');
  });
});
