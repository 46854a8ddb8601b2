import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkoutFields, freshDatabase, signedBody, type DatabaseKind } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { alive, kill9, killStartedGateways, payrail, startGatewayProcess as startGateway, stop } from '../support/gateway-process.ts';
import { until } from '../support/until.ts';
import { openDatabase } from '../../src/db/connect.ts';

/**
 * The real gateway process, killed with SIGKILL: a notification committed with the status change
 * that caused it survives the crash and is delivered by the next start, once; an acknowledged one
 * is never sent again.
 */

// Every process this file starts is killed at the end, whatever a failing test left behind.
afterAll(killStartedGateways);

// PGlite is included: after a SIGKILL its folder lock (proper-lockfile, 10 s stale time) is
// only taken over once stale, so a restart there waits about 10 s. To keep the file short, the
// second stop on PGlite is a graceful SIGTERM; on PostgreSQL both stops are SIGKILL.
const KINDS: DatabaseKind[] = ['postgres', 'pglite'];

describe.each(KINDS)('a gateway process killed with SIGKILL [%s]', (kind) => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let databaseUrl: string | undefined;
  let merchant: { merchantNo: string; appSecret: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  // After SIGKILL the PGlite lock must go stale (10 s) before a new process can open the folder.
  const restartWithinMs = kind === 'pglite' ? 30_000 : 15_000;

  beforeAll(async () => {
    if (kind === 'postgres') {
      const fresh = await freshDatabase('postgres');
      await fresh.handle.close();
      dataDir = fresh.dataDir;
      databaseUrl = fresh.databaseUrl;
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-crash-'));
      fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    }
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl ?? '',
      DATA_DIR: dataDir,
      PAYRAIL_ENV: 'test',
      LOG_LEVEL: 'warn',
      PAYRAIL_MASTER_KEY: randomBytes(32).toString('hex'),
      NOTIFY_SCHEDULE: '200ms,200ms',
    };
    receiver = await startReceiver();
    const printed = await payrail(['merchant', 'create', '--name', 'Crash Store', '--json'], env);
    merchant = JSON.parse(printed);
  });

  afterAll(async () => {
    await killStartedGateways();
    await receiver?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (base: string, url: string, fields: Record<string, string>) => {
    const response = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
      body: JSON.stringify(signedBody(fields, merchant.appSecret)),
    });
    return (await response.json()) as { code: string; data: Record<string, string> };
  };

  /**
   * The order's notify jobs and their delivery attempts. PostgreSQL is read beside the running
   * gateway with a separate connection; PGlite only while no gateway holds its folder.
   */
  const notifyJobs = async (orderNo: string) => {
    if (kind === 'pglite') {
      const handle = await openDatabase({ dataDir });
      try {
        const jobs = await handle.db.selectFrom('jobs').select(['id', 'status', 'attempts']).where('order_no', '=', orderNo).where('kind', '=', 'notify').execute();
        const attempts = await handle.db
          .selectFrom('notification_attempts as a')
          .innerJoin('jobs as j', 'j.id', 'a.notify_id')
          .select(['a.worker', 'a.acknowledged'])
          .where('j.order_no', '=', orderNo)
          .execute();
        return { jobs, attempts };
      } finally {
        await handle.close();
      }
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const jobs = await client.query(`SELECT id, status, attempts FROM jobs WHERE order_no = $1 AND kind = 'notify'`, [orderNo]);
      const attempts = await client.query(`SELECT a.worker, a.acknowledged FROM notification_attempts a JOIN jobs j ON j.id = a.notify_id WHERE j.order_no = $1`, [orderNo]);
      return { jobs: jobs.rows, attempts: attempts.rows };
    } finally {
      await client.end();
    }
  };

  it('delivers a notification committed before the crash exactly once after restart, and never again once acknowledged', async () => {
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };

    // 1. No workers: the close commits the order's status and its notification, nothing sends it.
    let gateway = await startGateway(env, 0);
    lap('first start');
    const fields = checkoutFields({ notifyUrl: `${receiver.url}/crash` }) as Record<string, string>;
    const created = await post(gateway.base, '/v1/checkout', fields);
    expect(created.code, JSON.stringify(created)).toBe('0000');
    const closed = await post(gateway.base, '/v1/checkout/close', { tradeNo: fields.tradeNo! });
    expect(closed.code, JSON.stringify(closed)).toBe('0000');
    const orderNo = created.data.platFormTradeNo!;
    if (kind === 'postgres') {
      const before = await notifyJobs(orderNo);
      expect(before.jobs).toMatchObject([{ status: 'pending', attempts: 0 }]);
      expect(before.attempts).toHaveLength(0);
    }

    await kill9(gateway.child);
    expect(gateway.child.signalCode).toBe('SIGKILL');
    // Nothing reached the merchant from the process without workers (and below, the one delivery
    // comes after the restart began).
    expect(receiver.received).toHaveLength(0);

    // 2. Restarted with workers: the notification survived the crash and arrives once.
    mark = Date.now();
    const restarted = mark;
    gateway = await startGateway(env, 2, restartWithinMs);
    lap('restart after kill -9');
    const [delivery] = await receiver.waitFor(1, 10_000);
    timings['delivery after restart began'] = delivery!.at - restarted;
    expect(delivery!.path).toBe('/crash');
    expect(delivery!.body).toMatchObject({ notifyType: 'PAYMENT', tradeNo: fields.tradeNo, platFormTradeNo: orderNo, status: '00029', message: 'CLOSED' });
    expect(delivery!.at).toBeGreaterThanOrEqual(restarted);
    const notifyId = delivery!.body.notifyId;
    expect(notifyId).toMatch(/^[0-9a-f]{32}$/);
    // A second send could only come from a job not recorded done: wait for the record (PostgreSQL,
    // beside the gateway) or read it once the gateway has let go of the folder (PGlite).
    if (kind === 'postgres') await until(async () => (await notifyJobs(orderNo)).jobs[0]?.status === 'done', 10_000, 50, 'notify job done');

    // 3. Stopped again after the acknowledgement, and restarted: nothing is sent again.
    const secondStop = kind === 'pglite' ? 'SIGTERM' : 'SIGKILL';
    await stop(gateway.child, secondStop);
    expect(gateway.child.exitCode ?? gateway.child.signalCode).toBe(secondStop === 'SIGTERM' ? 0 : 'SIGKILL');
    const after = await notifyJobs(orderNo);
    expect(after.jobs).toMatchObject([{ id: notifyId, status: 'done', attempts: 1 }]);
    expect(after.attempts).toMatchObject([{ acknowledged: true }]);
    expect(receiver.received).toHaveLength(1);
    mark = Date.now();
    gateway = await startGateway(env, 2, restartWithinMs);
    lap(`second restart after ${secondStop}`);
    // A resend would be due before any new job: the workers claim in due order, so once a later
    // order's notification has arrived, one of the first order's would have come no later.
    const later = checkoutFields({ notifyUrl: `${receiver.url}/later` }) as Record<string, string>;
    expect((await post(gateway.base, '/v1/checkout', later)).code).toBe('0000');
    expect((await post(gateway.base, '/v1/checkout/close', { tradeNo: later.tradeNo! })).code).toBe('0000');
    await receiver.waitFor(2, 10_000);
    expect(receiver.received.map((entry) => entry.path)).toEqual(['/crash', '/later']);
    const query = await post(gateway.base, '/v1/checkout/query', { tradeNo: fields.tradeNo! });
    expect(query.data).toMatchObject({ status: '00029', desc: 'CLOSED' });
    expect(gateway.output()).not.toMatch(/"level":(50|60)/);
    await kill9(gateway.child);
    console.info(`crash [${kind}]: ${JSON.stringify(timings)} ms`);
  }, 120_000); // four process starts: an embedded database takes ~10 s each on a busy 2-core machine

  it('loses no acknowledged order when killed while batches of creates are being written', async () => {
    let gateway = await startGateway(env, 0, 60_000);
    const acknowledged = new Map<string, string>();
    let killed = false;
    // 50 clients creating orders back to back, so group-commit batches are in flight at the kill.
    const client = async () => {
      while (!killed) {
        const fields = checkoutFields() as Record<string, string>;
        try {
          const answer = await post(gateway.base, '/v1/checkout', fields);
          if (answer.code === '0000') acknowledged.set(fields.tradeNo!, answer.data.platFormTradeNo!);
        } catch {
          // Cut off by the kill: not acknowledged, so it may or may not exist.
        }
      }
    };
    const clients = Array.from({ length: 50 }, client);
    await until(() => acknowledged.size >= 300, 60_000, 20, '300 acknowledged creates');
    await kill9(gateway.child);
    killed = true;
    await Promise.all(clients);

    gateway = await startGateway(env, 0, restartWithinMs + 30_000);
    const missing: string[] = [];
    const entries = [...acknowledged];
    for (let i = 0; i < entries.length; i += 25) {
      await Promise.all(
        entries.slice(i, i + 25).map(async ([tradeNo, orderNo]) => {
          const query = await post(gateway.base, '/v1/checkout/query', { tradeNo });
          if (query.code !== '0000' || query.data.platFormTradeNo !== orderNo) missing.push(tradeNo);
        }),
      );
    }
    expect(missing).toEqual([]);
    await kill9(gateway.child);
  }, 180_000);
});

describe('a database outage while a notification is in flight [postgres]', () => {
  it('does not bring the gateway process down, and it is ready again once the database is back', async () => {
    const fresh = await freshDatabase('postgres');
    await fresh.handle.close();
    const name = new URL(fresh.databaseUrl!).pathname.slice(1);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: fresh.databaseUrl,
      DATA_DIR: fresh.dataDir,
      PAYRAIL_ENV: 'test',
      LOG_LEVEL: 'fatal',
      PAYRAIL_MASTER_KEY: randomBytes(32).toString('hex'),
    };
    const merchant = JSON.parse(await payrail(['merchant', 'create', '--name', 'Outage Store', '--json'], env)) as { merchantNo: string; appSecret: string };
    const receiver = await startReceiver(() => ({ body: 'OK', delayMs: 1_000 }));
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    try {
      const gateway = await startGateway(env, 2);
      const post = (url: string, fields: Record<string, string>) =>
        fetch(`${gateway.base}${url}`, {
          method: 'POST',
          headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
          body: JSON.stringify(signedBody(fields, merchant.appSecret)),
        });
      const fields = checkoutFields({ notifyUrl: `${receiver.url}/outage` }) as Record<string, string>;
      await post('/v1/checkout', fields);
      await post('/v1/checkout/close', { tradeNo: fields.tradeNo! });
      await receiver.waitFor(1);

      // While the merchant takes its time to answer, the database goes away: recording the
      // attempt and the job's outcome both fail.
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      // The merchant's answer reaches the gateway only now, with the database gone: recording it
      // fails, and the process must survive that and say it is not ready.
      await receiver.waitForAnswers(1);
      await until(async () => (await fetch(`${gateway.base}/readyz`)).status === 503, 10_000, 50, 'readyz 503');
      expect(alive(gateway.child), `the gateway died:\n${gateway.output()}`).toBe(true);

      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      const ready = await fetch(`${gateway.base}/readyz`);
      expect(ready.status).toBe(200);
      await kill9(gateway.child);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => {});
      await admin.end();
      await receiver.close();
      fs.rmSync(fresh.dataDir, { recursive: true, force: true });
    }
  });
});
