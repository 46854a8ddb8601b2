import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { ALL_MERCHANTS, oneMerchant } from '../../src/domain/console-scope.ts';
import { findScopedNotification, listUnacknowledged } from '../../src/store/console/list-notifications.ts';
import type { Workers } from '../../src/jobs/worker.ts';

/** The notifications view: what merchants have not acknowledged, with the last answer, and a resend per row. */
describeEachDatabase('dashboard notifications view', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workers: Workers | undefined;
  let operator: DashboardClient;
  let other: TestMerchant;
  let refused: string;
  let acknowledged: string;
  let foreign: string;

  const notifyOf = (orderNo: string) =>
    t.gateway.context.db.selectFrom('jobs').selectAll().where('order_no', '=', orderNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();

  async function paidOrder(path: string, merchant?: TestMerchant) {
    const customer = await CashierClient.forNewOrder(t, { notifyUrl: `${receiver.url}/${path}` }, merchant);
    await customer.open();
    await customer.pay('4242424242424242');
    return customer.platFormTradeNo;
  }

  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms', NOTIFY_TIMEOUT_MS: 1000 });
    other = await t.addMerchant({ name: 'Other Shop' });
    receiver = await startReceiver((request) => (request.path.startsWith('/ok') ? { body: 'OK' } : { status: 500, body: 'database down' }));
    workers = t.gateway.startWorkers({ pollMs: 50, sweepEveryMs: 60_000 });
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    refused = await paidOrder('refuse');
    acknowledged = await paidOrder('ok');
    foreign = await paidOrder('refuse', other);
    await until(async () => (await notifyOf(refused)).status === 'failed' && (await notifyOf(foreign)).status === 'failed' && (await notifyOf(acknowledged)).status === 'done');
    await workers.stop();
    workers = undefined;
  });
  afterAll(async () => {
    await workers?.stop();
    await t.close();
    await receiver.close();
  });

  it('lists every notification not acknowledged, with its last answer, and not the delivered ones', async () => {
    const page = await operator.get('/dashboard/notifications');
    expect(page.status).toBe(200);
    expect(page.html).toContain(refused);
    expect(page.html).toContain(foreign);
    expect(page.html).not.toContain(acknowledged);
    expect(page.html).toContain('HTTP 500');
    expect(page.html).toContain('database down');
    expect(page.html).toContain('none: given up');
    expect(page.html).toContain(`action="/dashboard/notifications/${(await notifyOf(refused)).id}/resend"`);
  });

  it('resends one row: the job is pending again, the answer is a 303, and an audit row says who', async () => {
    const job = await notifyOf(refused);
    await operator.get('/dashboard/notifications');
    const done = await operator.post(`/dashboard/notifications/${job.id}/resend`);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/dashboard/notifications?notice=resent');
    expect(await notifyOf(refused)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await notifyOf(foreign)).status).toBe('failed');
    const after = await operator.get(done.location!);
    expect(after.html).toContain('queued again');
    expect(after.html).toMatch(/retrying|pending/);
    const audit = await t.gateway.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'notification.resend').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target: job.id, merchant_no: t.merchant.merchantNo, actor_email: 'ops@example.com' });
  });

  it('answers 404 for an unknown notification, and refuses a resend without its CSRF token', async () => {
    await operator.get('/dashboard/notifications');
    expect((await operator.post(`/dashboard/notifications/${'0'.repeat(32)}/resend`)).status).toBe(404);
    const job = await notifyOf(foreign);
    expect((await operator.post(`/dashboard/notifications/${job.id}/resend`, { _csrf: '' })).status).toBe(403);
    expect((await notifyOf(foreign)).status).toBe('failed');
  });

  it('shows a one-merchant scope only its own notifications, and finds no other merchant\'s', async () => {
    const mine = await listUnacknowledged(t.gateway.context.db, oneMerchant(other.merchantNo), { limit: 50 });
    expect(mine.notifications.map((n) => n.platFormTradeNo)).toEqual([foreign]);
    const all = await listUnacknowledged(t.gateway.context.db, ALL_MERCHANTS, { limit: 1 });
    expect(all.notifications).toHaveLength(1);
    const rest = await listUnacknowledged(t.gateway.context.db, ALL_MERCHANTS, { limit: 1, after: all.next });
    expect(rest.notifications.map((n) => n.notifyId)).not.toContain(all.notifications[0]!.notifyId);
    const refusedJob = await notifyOf(refused);
    expect(await findScopedNotification(t.gateway.context.db, oneMerchant(other.merchantNo), refusedJob.id)).toBeUndefined();
    expect(await findScopedNotification(t.gateway.context.db, oneMerchant(t.merchant.merchantNo), refusedJob.id)).toEqual({ notifyId: refusedJob.id, merchantNo: t.merchant.merchantNo });
  });
});
