import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { findAttempt } from '../../src/store/attempts.ts';
import { settleAttempt } from '../../src/payments/settle-attempt.ts';
import { settleFromAcquirer } from '../../src/payments/reconcile-attempts.ts';
import { AttemptStatus } from '../../src/domain/attempt-status.ts';

describeEachDatabase('an approval for an attempt already settled otherwise', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const db = () => t.gateway.context.db;
  const lateApprovals = async (orderNo: string) =>
    (await db().selectFrom('order_events').select('detail').where('order_no', '=', orderNo).where('type', '=', 'approved_after_settled').execute()).map((row) => row.detail);

  it('is recorded once for the operator, however many times and by whichever path it is reported, and pays nothing', async () => {
    const customer = await CashierClient.forNewOrder(t);
    const { attempt, order } = await customer.startAttemptInStore('e'.repeat(64));
    const declined = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Declined, reason: 'DO_NOT_HONOR' });
    expect(declined).toMatchObject({ recorded: true, order: { failed_attempts: 1 } });

    // The customer's path (a stale compare-and-set), twice, then the reconciler's or a webhook's path.
    for (let i = 0; i < 2; i++) {
      const late = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Approved, reference: 'sim_late' });
      expect(late.recorded).toBe(false);
    }
    await settleFromAcquirer(t.gateway.context, (await findAttempt(db(), attempt.id))!, { outcome: 'approved', reference: 'sim_late' }, 'test webhook');

    expect(await lateApprovals(order.plat_form_trade_no)).toEqual([{ attempt: attempt.id, acquirer: attempt.acquirer }]);
    expect((await findAttempt(db(), attempt.id))!.status).toBe(AttemptStatus.Declined);
    const postings = await db().selectFrom('ledger_postings').select('id').where('order_no', '=', order.plat_form_trade_no).execute();
    expect(postings).toEqual([]);
    const query = (await t.post('/v1/checkout/query', { tradeNo: customer.tradeNo })).body.data;
    expect(query).toMatchObject({ status: '0015', desc: 'CREATED' });
  });
});
