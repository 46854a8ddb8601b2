import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { up as countFailedAttempts } from '../../src/db/migrations/0040-order-failed-attempts.ts';

describeEachDatabase("an order's count of failed attempts (migration 0040)", (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const db = () => t.gateway.context.db;
  const failedAttempts = async (orderNo: string) =>
    (await db().selectFrom('orders').select('failed_attempts').where('plat_form_trade_no', '=', orderNo).executeTakeFirstOrThrow()).failed_attempts;

  it('counts each decline and error as it is recorded, tells the customer the attempts left, and is what the upgrade computes for orders already tried', async () => {
    const declined = await CashierClient.forNewOrder(t);
    await declined.open();
    const first = await declined.pay('4000000000000002');
    expect(first.html).toContain(`You have ${t.gateway.context.config.maxAttempts - 1} attempts left.`);
    const second = await declined.pay('4000 0000 0000 9995');
    expect(second.html).toContain(`You have ${t.gateway.context.config.maxAttempts - 2} attempts left.`);
    const paid = await CashierClient.forNewOrder(t);
    await paid.open();
    await paid.pay('4000000000000002');
    await paid.pay('4242424242424242');
    const untried = await CashierClient.forNewOrder(t);
    const counts = async () => [await failedAttempts(declined.platFormTradeNo), await failedAttempts(paid.platFormTradeNo), await failedAttempts(untried.platFormTradeNo)];
    expect(await counts()).toEqual([2, 1, 0]);

    // The upgrade: the column added to orders that already have attempts, counted from them.
    await sql`ALTER TABLE orders DROP COLUMN failed_attempts`.execute(db());
    await countFailedAttempts(db() as never);
    expect(await counts()).toEqual([2, 1, 0]);
  });
});
