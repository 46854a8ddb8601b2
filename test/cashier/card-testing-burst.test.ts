import { expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { AttemptStatus } from '../../src/domain/attempt-status.ts';
import { until } from '../support/until.ts';

/**
 * Card-testing caps hold exactly under concurrency: an attempt claims a slot of its card and of
 * its address in the transaction that writes it (one statement each, skipping slots others are
 * claiming), and attempts in flight hold theirs, so a burst of N tries gets exactly the cap
 * through to the acquirer.
 */
describeEachDatabase('card-testing caps under a burst', (kind) => {
  const customers = async (t: TestGateway, count: number, merchant: { merchantNo: string; appSecret: string }) => {
    const opened: CashierClient[] = [];
    for (let i = 0; i < count; i += 1) {
      const customer = await CashierClient.forNewOrder(t, {}, merchant);
      opened.push(customer);
    }
    return opened;
  };
  const attemptsReachingAcquirer = async (t: TestGateway) =>
    (await t.gateway.context.db.selectFrom('payment_attempts').select('id').execute()).length;

  it('60 concurrent declined tries from one address: exactly the address cap (20) reach the acquirer', async () => {
    const t = await startTestGateway(kind, { IP_DECLINES_PER_HOUR: 20, CARD_DECLINES_PER_DAY: 1000, MAX_ATTEMPTS: 10 });
    try {
      const merchant = await t.addMerchant({ rateLimitPerSecond: 10_000 });
      const burst = await customers(t, 60, merchant);
      for (const customer of burst) {
        customer.remoteAddress = '203.0.113.7';
        await customer.open();
      }
      const pages = await Promise.all(burst.map((customer, i) => customer.pay(i % 2 ? '4000000000000002' : '4000000000009995')));
      expect(pages.filter((page) => page.status === 429)).toHaveLength(40);
      expect(await attemptsReachingAcquirer(t)).toBe(20);
    } finally {
      await t.close();
    }
  });

  it('30 concurrent tries of one card from 30 addresses: exactly the card cap (10) reach the acquirer', async () => {
    const t = await startTestGateway(kind, { IP_DECLINES_PER_HOUR: 1000, CARD_DECLINES_PER_DAY: 10, MAX_ATTEMPTS: 10 });
    try {
      const merchant = await t.addMerchant({ rateLimitPerSecond: 10_000 });
      const burst = await customers(t, 30, merchant);
      for (const [i, customer] of burst.entries()) {
        customer.remoteAddress = `198.51.100.${i + 1}`;
        await customer.open();
      }
      const pages = await Promise.all(burst.map((customer) => customer.pay('4000000000000002')));
      expect(pages.filter((page) => page.status === 429)).toHaveLength(20);
      expect(await attemptsReachingAcquirer(t)).toBe(10);
    } finally {
      await t.close();
    }
  });

  it('paid attempts give their slots back: with caps of 2, six concurrent payments of one card from one address are all paid', async () => {
    const t = await startTestGateway(kind, { IP_DECLINES_PER_HOUR: 2, CARD_DECLINES_PER_DAY: 2, MAX_ATTEMPTS: 10 });
    try {
      const merchant = await t.addMerchant({ rateLimitPerSecond: 10_000 });
      const payers = await customers(t, 6, merchant);
      for (const customer of payers) {
        customer.remoteAddress = '203.0.113.9';
        await customer.open();
      }
      // Two at a time: never more than the caps in flight at once, and each pair frees its slots.
      for (const pair of [payers.slice(0, 2), payers.slice(2, 4), payers.slice(4, 6)]) {
        const pages = await Promise.all(pair.map((customer) => customer.pay('4242424242424242')));
        expect(pages.map((page) => page.status)).toEqual([200, 200]);
      }
      const paid = await t.gateway.context.db.selectFrom('payment_attempts').select('id').where('status', '=', AttemptStatus.Approved).execute();
      expect(paid).toHaveLength(6);
      // A decline still counts: two declines fill the card's cap, and the next try is refused.
      const [first, second, third] = await customers(t, 3, merchant);
      for (const customer of [first!, second!, third!]) await customer.open();
      expect((await first!.pay('4000000000000002')).status).toBe(200);
      expect((await second!.pay('4000000000000002')).status).toBe(200);
      expect((await third!.pay('4000000000000002')).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('the background work deletes the slots a paid attempt gave back and keeps a declined one’s', async () => {
    const t = await startTestGateway(kind, { IP_DECLINES_PER_HOUR: 5, CARD_DECLINES_PER_DAY: 5, MAX_ATTEMPTS: 10 });
    try {
      const merchant = await t.addMerchant({ rateLimitPerSecond: 10_000 });
      const [payer, decliner] = await customers(t, 2, merchant);
      payer!.remoteAddress = '203.0.113.20';
      decliner!.remoteAddress = '203.0.113.21';
      for (const customer of [payer!, decliner!]) await customer.open();
      expect((await payer!.pay('4242424242424242')).status).toBe(200);
      expect((await decliner!.pay('4000000000000002')).status).toBe(200);
      const slots = () => t.gateway.context.db.selectFrom('card_testing_slots').select(['scope', 'key', 'attempt_id']).execute();
      expect(await slots()).toHaveLength(4);
      // The sweeps only (no job runs): the slots' sweep runs at once, then every minute.
      t.gateway.startWorkers({ concurrency: 0 });
      const left = await until(async () => {
        const rows = await slots();
        return rows.length === 2 && rows;
      }, 20_000, 25, 'the paid attempt’s slots swept');
      const declined = await t.gateway.context.db.selectFrom('payment_attempts').select('id').where('status', '=', AttemptStatus.Declined).execute();
      expect(left.map((row) => row.attempt_id)).toEqual([declined[0]!.id, declined[0]!.id]);
    } finally {
      await t.close();
    }
  });
});
