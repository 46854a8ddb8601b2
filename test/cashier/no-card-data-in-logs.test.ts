import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

// Every log line the gateway writes at the most verbose level, while customers pay, fail, and
// trip the card-testing cap, and the reconciler settles a timeout.
const lines: string[] = [];
const sink = { write: (line: string) => void lines.push(line) };

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway('pglite', { LOG_LEVEL: 'trace', CARD_DECLINES_PER_DAY: 2, MAX_ATTEMPTS: 10 }, { logTo: sink });
});
afterAll(() => t.close());

it('never logs a card number, a CVC or an app secret', async () => {
  const cards = ['4242424242424242', '5555555555554444', '4000000000000002', '4000000000003063', '4000000000000119'];
  for (const card of cards) {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay(card, { cvc: '731' });
    await customer.pay('4000000000000002', { cvc: '731' });
  }
  await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).execute();
  await reconcileAttempts(t.gateway.context);
  await t.post('/v1/checkout', { tradeNo: 'bad sign' }, { secret: 'wrong' });

  const log = lines.join('\n');
  expect(lines.length).toBeGreaterThan(0);
  expect(log).toMatch(/card-testing cap reached/);
  for (const card of cards) expect(log).not.toContain(card);
  expect(log).not.toMatch(/"cvc"|cvc\W{1,3}731/i);
  expect(log).not.toContain(t.merchant.appSecret);
});
