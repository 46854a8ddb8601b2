import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { buildSignString, signString } from '../../src/domain/signature.ts';
import { enqueueJobs } from '../../src/store/jobs.ts';

describeEachDatabase('merchant notifications', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestGateway(kind, { NOTIFY_SCHEDULE: '100ms,200ms,300ms', NOTIFY_TIMEOUT_MS: 500 });
    receiver = await startReceiver();
    t.gateway.startWorkers({ pollMs: 200, sweepEveryMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });
  afterEach(() => receiver.respondWith(() => ({ body: 'OK' })));

  /** Creates an order notifying `path` on the receiver, and closes it: a final status to announce. */
  const closedOrder = async (path = '/notify', overrides = {}) => {
    const fields = checkoutFields({ notifyUrl: `${receiver.url}${path}`, ...overrides });
    const created = await t.post('/v1/checkout', fields);
    await t.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string });
    return { tradeNo: fields.tradeNo as string, platFormTradeNo: created.body.data.platFormTradeNo as string };
  };
  const deliveriesTo = (path: string) => receiver.received.filter((r) => r.path === path);
  const jobOf = (orderNo: string) =>
    t.gateway.context.db.selectFrom('jobs').selectAll().where('order_no', '=', orderNo).where('kind', '=', 'notify').executeTakeFirstOrThrow();
  const attemptsOf = (notifyId: string) =>
    t.gateway.context.db.selectFrom('notification_attempts').selectAll().where('notify_id', '=', notifyId).orderBy('id').execute();

  it('posts the signed fields of section 7 when an order reaches a final status', async () => {
    const order = await closedOrder('/fields', { remark: 'r-1', amount: '12.30' });
    const [delivery] = await until(() => deliveriesTo('/fields').length > 0 && deliveriesTo('/fields'));
    const body = delivery!.body;
    expect(body).toMatchObject({
      notifyType: 'PAYMENT',
      // The test merchant's status set is the default, family: closed is 00029 with message CLOSED.
      status: '00029',
      message: 'CLOSED',
      platFormTradeNo: order.platFormTradeNo,
      tradeNo: order.tradeNo,
      amount: '12.30',
      currency: 'USD',
      remark: 'r-1',
    });
    expect(body.notifyId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.timestamp).toMatch(/^\d{13}$/);
    expect(body.successTime).toBeUndefined();
    expect(delivery!.headers['content-type']).toMatch(/application\/json/);
    const expected = signString(buildSignString(body), t.merchant.appSecret, { signType: 'MD5', placement: 'suffix' });
    expect(body.sign).toBe(expected);
    await until(async () => (await jobOf(order.platFormTradeNo)).status === 'done');
  });

  it('retries on the schedule with the same notifyId until acknowledged, recording every attempt', async () => {
    receiver.respondWith((request) => (request.path === '/retry' && deliveriesTo('/retry').length < 3 ? { status: 500, body: 'busy' } : { body: 'OK' }));
    const order = await closedOrder('/retry');
    const deliveries = await until(() => deliveriesTo('/retry').length >= 3 && deliveriesTo('/retry'));
    expect(new Set(deliveries.map((d) => d.body.notifyId)).size).toBe(1);
    const gaps = deliveries.slice(1).map((d, i) => d.at - deliveries[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    const job = await until(async () => {
      const row = await jobOf(order.platFormTradeNo);
      return row.status === 'done' && row;
    });
    const attempts = await attemptsOf(job.id);
    expect(attempts.map((a) => [a.http_status, a.acknowledged])).toEqual([[500, false], [500, false], [200, true]]);
    expect(attempts[0]!.body_excerpt).toBe('busy');
    expect(attempts.every((a) => a.latency_ms >= 0 && a.url.endsWith('/retry'))).toBe(true);
  });

  it.each([['ok '], ['SUCCESS'], ['\n Ok\n']])('takes %j as an acknowledgement', async (answer) => {
    const path = `/ack-${encodeURIComponent(answer.trim())}-${Math.random()}`;
    receiver.respondWith(() => ({ body: answer }));
    const order = await closedOrder(path);
    await until(async () => (await jobOf(order.platFormTradeNo)).status === 'done');
    expect(deliveriesTo(path)).toHaveLength(1);
  });

  it('does not follow a redirect and gives up after the schedule, marking the notification failed', async () => {
    receiver.respondWith((request) => (request.path === '/moved' ? { status: 302, headers: { location: '/elsewhere' } } : { body: 'OK' }));
    const order = await closedOrder('/moved');
    const job = await until(async () => {
      const row = await jobOf(order.platFormTradeNo);
      return row.status === 'failed' && row;
    }, 15_000);
    expect(deliveriesTo('/moved')).toHaveLength(4);
    expect(deliveriesTo('/elsewhere')).toHaveLength(0);
    expect((await attemptsOf(job.id)).map((a) => a.http_status)).toEqual([302, 302, 302, 302]);
  });

  it('counts a timeout as a failure', async () => {
    receiver.respondWith((request) => (request.path === '/slow' && deliveriesTo('/slow').length === 1 ? { delayMs: 2_000 } : { body: 'OK' }));
    const order = await closedOrder('/slow');
    const job = await until(async () => {
      const row = await jobOf(order.platFormTradeNo);
      return row.status === 'done' && row;
    });
    const attempts = await attemptsOf(job.id);
    expect(attempts[0]!.acknowledged).toBe(false);
    expect(attempts[0]!.error).toMatch(/time/i);
    expect(attempts.at(-1)!.acknowledged).toBe(true);
  });

  it('resends the latest notification on request, with the same notifyId, keeping earlier attempts', async () => {
    const order = await closedOrder('/resend');
    await until(async () => (await jobOf(order.platFormTradeNo)).status === 'done');
    const answer = await t.post('/v1/notify/resend', { tradeNo: order.tradeNo });
    expect(answer.body).toMatchObject({ code: '0000', data: { tradeNo: order.tradeNo } });
    const deliveries = await until(() => deliveriesTo('/resend').length === 2 && deliveriesTo('/resend'));
    expect(deliveries[1]!.body.notifyId).toBe(deliveries[0]!.body.notifyId);
    expect(deliveries[1]!.body.notifyId).toBe(answer.body.data.notifyId);
    await until(async () => (await attemptsOf(answer.body.data.notifyId)).length === 2);
  });

  it('refuses a resend for an unknown order (8009) and for an order with no notification yet (8010)', async () => {
    expect((await t.post('/v1/notify/resend', { tradeNo: 'nope' })).body.code).toBe('8009');
    const fields = checkoutFields();
    await t.post('/v1/checkout', fields);
    expect((await t.post('/v1/notify/resend', { tradeNo: fields.tradeNo as string })).body.code).toBe('8010');
  });

  it('expires an unpaid order past its expiry and notifies the merchant', async () => {
    const fields = checkoutFields({ notifyUrl: `${receiver.url}/expired` });
    const created = await t.post('/v1/checkout', fields);
    await t.gateway.context.db.updateTable('orders').set({ expires_at: new Date(Date.now() - 1000) }).where('plat_form_trade_no', '=', created.body.data.platFormTradeNo).execute();
    const [delivery] = await until(() => deliveriesTo('/expired').length > 0 && deliveriesTo('/expired'));
    expect(delivery!.body).toMatchObject({ status: '00029', message: 'EXPIRED', tradeNo: fields.tradeNo });
    expect((await t.post('/v1/checkout/query', { tradeNo: fields.tradeNo as string })).body.data).toMatchObject({ status: '00029', desc: 'EXPIRED' });
  });

  it('leaves an order with a payment under way open past its expiry', async () => {
    const fields = checkoutFields({ notifyUrl: `${receiver.url}/under-way` });
    const twin = checkoutFields({ notifyUrl: `${receiver.url}/under-way-twin` });
    const created = await t.post('/v1/checkout', fields);
    const twinCreated = await t.post('/v1/checkout', twin);
    const expiresAt = new Date(Date.now() - 1000);
    await t.gateway.context.db
      .updateTable('orders')
      .set({ expires_at: expiresAt, status_desc: 'PROCESSING' })
      .where('plat_form_trade_no', '=', created.body.data.platFormTradeNo)
      .execute();
    await t.gateway.context.db.updateTable('orders').set({ expires_at: expiresAt }).where('plat_form_trade_no', '=', twinCreated.body.data.platFormTradeNo).execute();
    // Its twin, past the same expiry with no payment under way, expires in the same sweep: once it has, look.
    await until(async () => (await t.post('/v1/checkout/query', { tradeNo: twin.tradeNo as string })).body.data.desc === 'EXPIRED');
    expect((await t.post('/v1/checkout/query', { tradeNo: fields.tradeNo as string })).body.data).toMatchObject({ status: '0015', desc: 'PROCESSING' });
  });

  it('queues nothing when the transaction that would have caused it rolls back', async () => {
    const fields = checkoutFields();
    const created = await t.post('/v1/checkout', fields);
    const orderNo = created.body.data.platFormTradeNo as string;
    await expect(
      t.gateway.context.db.transaction().execute(async (trx) => {
        await trx.updateTable('orders').set({ status: '00031', status_desc: 'CLOSED' }).where('plat_form_trade_no', '=', orderNo).execute();
        await enqueueJobs(trx, [{ kind: 'notify', orderNo }]);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs WHERE order_no = ${orderNo}`.execute(t.gateway.context.db);
    expect(jobs.rows[0]!.n).toBe(0);
    expect((await t.post('/v1/checkout/query', { tradeNo: fields.tradeNo as string })).body.data.status).toBe('0015');
  });

  describe('with private targets forbidden', () => {
    let strict: TestGateway;
    beforeAll(async () => {
      strict = await startTestGateway(kind, { NOTIFY_ALLOW_PRIVATE: false, NOTIFY_SCHEDULE: '100ms' });
      strict.gateway.startWorkers({ pollMs: 100 });
    });
    afterAll(() => strict.close());

    it('refuses a literal private notifyUrl at creation with 8013', async () => {
      for (const notifyUrl of ['http://127.0.0.1/notify', 'http://10.0.0.8/n', 'http://[::1]/n', 'http://169.254.169.254/latest', 'http://localhost:8080/n']) {
        const { body } = await strict.post('/v1/checkout', checkoutFields({ notifyUrl }));
        expect(body.code, notifyUrl).toBe('8013');
      }
    });

    it('never connects to a name that resolves to a private address, and records why', async () => {
      const fields = checkoutFields({ notifyUrl: `http://localtest.me:${new URL(receiver.url).port}/private` });
      // localtest.me is not resolvable here; point it at loopback the way a rebinding attacker would.
      await strict.post('/v1/checkout', fields);
      const before = receiver.received.length;
      const order = await strict.gateway.context.db.selectFrom('orders').select('plat_form_trade_no').where('trade_no', '=', fields.tradeNo as string).executeTakeFirstOrThrow();
      await strict.gateway.context.db.updateTable('orders').set({ notify_url: `${receiver.url.replace('127.0.0.1', '127.1')}/private` }).where('plat_form_trade_no', '=', order.plat_form_trade_no).execute();
      await strict.post('/v1/checkout/close', { tradeNo: fields.tradeNo as string });
      const job = await until(async () => {
        const row = await strict.gateway.context.db.selectFrom('jobs').selectAll().where('order_no', '=', order.plat_form_trade_no).executeTakeFirst();
        return row?.status === 'failed' && row;
      });
      const attempts = await strict.gateway.context.db.selectFrom('notification_attempts').selectAll().where('notify_id', '=', job.id).execute();
      expect(attempts.length).toBe(2);
      expect(attempts[0]!.error).toMatch(/loopback|private|not allowed/i);
      expect(receiver.received.length).toBe(before);
    });
  });
});
