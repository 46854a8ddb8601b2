import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { createLogger } from '../../src/logger.ts';
import { buildGateway, type Gateway } from '../../src/server.ts';
import { createMerchant } from '../../src/store/merchants.ts';
import { checkoutFields, freshDatabase, signedBody, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';

/**
 * Two gateway nodes on one PostgreSQL database, both running workers: each notification is
 * claimed by one node at a time (SKIP LOCKED and leases), so no attempt is ever made twice.
 */
describe('two gateway nodes sharing one PostgreSQL database', () => {
  const masterKey = randomBytes(32).toString('hex');
  const ORDERS = 60;
  let handles: DatabaseHandle[] = [];
  let dataDirs: string[] = [];
  let nodes: Gateway[] = [];
  let nodeWorkers: Array<ReturnType<Gateway['startWorkers']>> = [];
  let merchant: TestMerchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    const first = await freshDatabase('postgres');
    const secondDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-node-b-'));
    const second = await openDatabase({ databaseUrl: first.databaseUrl!, dataDir: secondDir });
    handles = [first.handle, second];
    dataDirs = [first.dataDir, secondDir];
    for (const [index, handle] of handles.entries()) {
      const config = loadConfig({
        PAYRAIL_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDirs[index],
        DATABASE_URL: first.databaseUrl,
        PAYRAIL_MASTER_KEY: masterKey,
        NOTIFY_SCHEDULE: '200ms,200ms,200ms',
        NOTIFY_TIMEOUT_MS: '2000',
      });
      nodes.push(await buildGateway({ config, database: handle, logger: createLogger('silent') }));
    }
    // Created through node A, its secret (sealed with the shared master key) is read by node B too.
    merchant = await createMerchant(nodes[0]!.context.db, nodes[0]!.context.masterKey, { name: 'Two Nodes Store' });
    receiver = await startReceiver(() => ({ body: 'OK', delayMs: 5 + Math.floor(Math.random() * 40) }));
    nodeWorkers = nodes.map((node) => node.startWorkers({ concurrency: 4, pollMs: 50, sweepEveryMs: 60_000 }));
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const handle of handles) await handle.close();
    await receiver?.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = async (node: Gateway, url: string, fields: Record<string, string>) => {
    const response = await node.app.inject({
      method: 'POST',
      url,
      headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
      payload: JSON.stringify(signedBody(fields, merchant.appSecret)),
    });
    const body = response.json();
    expect(body.code, JSON.stringify(body)).toBe('0000');
    return body;
  };

  /** Creates `count` orders notifying `notifyPath`, alternating nodes, and closes them through the other node. */
  const createAndClose = async (count: number, notifyPath: string) => {
    const orders: string[] = [];
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const fields = checkoutFields({ notifyUrl: `${receiver.url}${notifyPath}` }) as Record<string, string>;
        const created = await post(nodes[i % 2]!, '/v1/checkout', fields);
        await post(nodes[(i + 1) % 2]!, '/v1/checkout/close', { tradeNo: fields.tradeNo! });
        orders.push(created.data.platFormTradeNo);
      }),
    );
    return orders;
  };

  const db = () => nodes[0]!.context.db;
  const jobsOf = (orders: string[]) => db().selectFrom('jobs').selectAll().where('order_no', 'in', orders).where('kind', '=', 'notify').execute();
  const attemptsOf = (notifyIds: string[]) =>
    db().selectFrom('notification_attempts').selectAll().where('notify_id', 'in', notifyIds).orderBy('id').execute();
  const deliveriesTo = (notifyPath: string) => receiver.received.filter((r) => r.path === notifyPath);

  it(`delivers each of ${ORDERS} notifications exactly once, with both nodes making attempts`, async () => {
    const started = Date.now();
    const orders = await createAndClose(ORDERS, '/once');
    const jobs = await until(async () => {
      const rows = await jobsOf(orders);
      return rows.length === ORDERS && rows.every((row) => row.status === 'done') && rows;
    }, 20_000);
    // A duplicate could only come from a job some node still has in hand: wait until neither has one.
    await Promise.all(nodeWorkers.map((w) => w.idle()));

    const deliveries = deliveriesTo('/once');
    const notifyIds = jobs.map((job) => job.id).sort();
    expect(deliveries).toHaveLength(ORDERS);
    expect(deliveries.map((d) => d.body.notifyId).sort()).toEqual(notifyIds);
    expect(new Set(deliveries.map((d) => d.body.platFormTradeNo))).toEqual(new Set(orders));
    expect(jobs.every((job) => job.attempts === 1 && job.lease === null)).toBe(true);

    const attempts = await attemptsOf(notifyIds);
    expect(attempts).toHaveLength(ORDERS);
    expect(attempts.every((a) => a.acknowledged)).toBe(true);
    const byWorker = new Map<string, number>();
    for (const a of attempts) byWorker.set(a.worker, (byWorker.get(a.worker) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(nodes.map((node) => node.context.nodeId).sort());
    console.info(`two nodes: ${ORDERS} delivered in ${Date.now() - started} ms; attempts per node ${JSON.stringify(Object.fromEntries(byWorker))}`);
  });

  it('retries each notification that failed its first try exactly once: 2 attempts, never more', async () => {
    const seen = new Set<string>();
    receiver.respondWith((request) => {
      if (request.path !== '/retry-once') return { body: 'OK' };
      const first = !seen.has(request.body.notifyId!);
      seen.add(request.body.notifyId!);
      return first ? { status: 503, body: 'busy', delayMs: Math.floor(Math.random() * 20) } : { body: 'OK', delayMs: Math.floor(Math.random() * 20) };
    });
    const orders = await createAndClose(ORDERS, '/retry-once');
    const jobs = await until(async () => {
      const rows = await jobsOf(orders);
      return rows.length === ORDERS && rows.every((row) => row.status === 'done') && rows;
    }, 20_000);
    // Every job is done, so a third attempt could only come from a job some node still has in hand.
    await Promise.all(nodeWorkers.map((w) => w.idle()));

    const notifyIds = jobs.map((job) => job.id);
    const attempts = await attemptsOf(notifyIds);
    const perNotification = new Map<string, typeof attempts>();
    for (const a of attempts) perNotification.set(a.notify_id, [...(perNotification.get(a.notify_id) ?? []), a]);
    expect(perNotification.size).toBe(ORDERS);
    for (const [notifyId, list] of perNotification) {
      expect(list.map((a) => [a.http_status, a.acknowledged]), notifyId).toEqual([[503, false], [200, true]]);
    }
    expect(jobs.every((job) => job.attempts === 2)).toBe(true);

    const deliveries = deliveriesTo('/retry-once');
    expect(deliveries).toHaveLength(2 * ORDERS);
    const counts = new Map<string, number>();
    for (const d of deliveries) counts.set(d.body.notifyId!, (counts.get(d.body.notifyId!) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    const workers = new Set(attempts.map((a) => a.worker));
    console.info(`two nodes, retry: ${attempts.length} attempts by ${workers.size} node(s)`);

    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs WHERE status <> 'done'`.execute(db());
    expect(pending.rows[0]!.n).toBe(0);
  });
});
