import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPgbouncer, type Pgbouncer } from '../support/pgbouncer.ts';
import { alive, kill9, payrail, startGatewayProcess, type RunningGateway } from '../support/gateway-process.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { callApi, createOrder, paidPage, payOrder } from '../support/http-customer.ts';
import type { TestMerchant } from '../support/test-gateway.ts';
import { openDatabase } from '../../src/db/connect.ts';

/**
 * pgbouncer 1.18 in transaction mode in front of PostgreSQL (issue 14): each statement outside
 * a transaction may run on another server connection, so nothing may live in a session. Two
 * `payrail start` processes, started together (their migrations race through the pooler), run
 * the core flow through it: create, pay, notify, query, refund, refund notify, refund query.
 */
describe('through pgbouncer in transaction mode [postgres]', () => {
  let bouncer: Pgbouncer;
  let database: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let merchant: TestMerchant;
  const nodes: RunningGateway[] = [];
  const dataDirs: string[] = [];
  const serverUrl = () => inject('postgresUrl');

  beforeAll(async () => {
    database = `payrail_bouncer_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    // Few server connections for many clients: statements hop between them.
    bouncer = await startPgbouncer(Number(new URL(serverUrl()).port), { poolSize: 3 });
    receiver = await startReceiver();
    const env = (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `payrail-bouncer-${name}-`));
      dataDirs.push(dataDir);
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: bouncer.url(database),
        DATA_DIR: dataDir,
        PAYRAIL_ENV: 'test' as const,
        LOG_LEVEL: 'warn',
        PAYRAIL_MASTER_KEY: 'b'.repeat(64),
        NOTIFY_SCHEDULE: '200ms,500ms,1s',
        // Many payments with one test card from one address at once: not card testing here.
        CARD_DECLINES_PER_DAY: '1000',
        IP_DECLINES_PER_HOUR: '1000',
      };
    };
    nodes.push(...(await Promise.all([startGatewayProcess(env('a'), 4, 90_000), startGatewayProcess(env('b'), 4, 90_000)])));
    merchant = JSON.parse(await payrail(['merchant', 'create', '--name', 'Pooled Store', '--json'], env('cli')));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(nodes.filter((node) => alive(node.child)).map((node) => kill9(node.child)));
    await receiver?.close();
    await bouncer?.stop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is really in front: the gateway without pgbouncer=transaction is refused for its start-up statement_timeout', async () => {
    const plain = await openDatabase({ databaseUrl: bouncer.url(database).replace('?pgbouncer=transaction', ''), dataDir: os.tmpdir(), poolSize: 1 });
    try {
      await expect(plain.db.selectFrom('merchants').select('merchant_no').execute()).rejects.toThrow(/unsupported startup parameter: statement_timeout/);
    } finally {
      await plain.close();
    }
    // The pooler sets the bound on each server connection instead (connect_query).
    const pooled = new pg.Client({ connectionString: bouncer.url(database).replace('?pgbouncer=transaction', '') });
    await pooled.connect();
    expect((await pooled.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('10s');
    await pooled.end();
  });

  it('creates, pays, notifies, queries and refunds across two nodes', async () => {
    const [a, b] = nodes as [RunningGateway, RunningGateway];
    const count = 24;
    const orders = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const order = await createOrder((i % 2 === 0 ? a : b).base, merchant, { notifyUrl: `${receiver.url}/notify`, amount: '20.00' });
        expect(order.problem).toBeUndefined();
        expect(order.code, JSON.stringify(order.body)).toBe('0000');
        const paid = await payOrder((i % 2 === 0 ? b : a).base, order.token!);
        expect(paid.problem).toBeUndefined();
        expect(paidPage(paid), paid.html?.slice(0, 300)).toBe(true);
        return order.tradeNo;
      }),
    );
    await receiver.waitFor(count, 20_000);
    const notified = new Set(receiver.received.filter((r) => r.body.notifyType === 'PAYMENT' && r.body.status === '0000').map((r) => r.body.tradeNo));
    expect(orders.filter((tradeNo) => !notified.has(tradeNo))).toEqual([]);

    for (const [i, tradeNo] of orders.entries()) {
      const query = await callApi((i % 2 === 0 ? a : b).base, '/v1/checkout/query', merchant, { tradeNo });
      expect(query.code).toBe('0000');
      expect((query.body!.data as { status: string }).status).toBe('0000');
    }

    const refunded = orders.slice(0, 8);
    await Promise.all(
      refunded.map(async (tradeNo, i) => {
        const refund = await callApi((i % 2 === 0 ? b : a).base, '/v1/refund', merchant, { tradeNo, refundNo: `R-${tradeNo}`, amount: '5.00' });
        expect(refund.code, JSON.stringify(refund.body)).toBe('0000');
      }),
    );
    await receiver.waitFor(count + refunded.length, 20_000);
    for (const [i, tradeNo] of refunded.entries()) {
      const query = await callApi((i % 2 === 0 ? a : b).base, '/v1/refund/query', merchant, { refundNo: `R-${tradeNo}` });
      expect(query.code).toBe('0000');
      expect((query.body!.data as { status: string }).status).toBe('0000');
    }
    const refundNotices = receiver.received.filter((r) => r.body.notifyType === 'REFUND' && r.body.status === '0000').map((r) => r.body.refundNo);
    expect(new Set(refundNotices)).toEqual(new Set(refunded.map((tradeNo) => `R-${tradeNo}`)));
    for (const node of nodes) expect(node.output()).not.toMatch(/prepared statement|"level":50/);
  }, 120_000);
});
