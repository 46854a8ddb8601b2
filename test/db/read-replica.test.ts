import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startStandby, type PostgresServer } from '../support/postgres-server.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { callApi, createOrder, paidPage, payOrder } from '../support/http-customer.ts';
import type { TestMerchant } from '../support/test-gateway.ts';
import { buildGateway, type Gateway } from '../../src/server.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createMerchant } from '../../src/store/merchants.ts';
import { DatabaseUnavailableError } from '../../src/db/health.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { pause } from '../support/until.ts';

/**
 * DATABASE_READ_URL (issue 14): a second pool, to a streaming replica, behind context.readDb,
 * which only the console reads through. With the replica stopped, money still moves.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('a read replica behind DATABASE_READ_URL [postgres]', () => {
  let primary: PostgresServer;
  let replica: PostgresServer;
  let gateway: Gateway;
  let base: string;
  let merchant: TestMerchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dataDir: string;
  const logLines: { msg: string; level: number }[] = [];

  beforeAll(async () => {
    primary = await startPostgres();
    replica = await startStandby(primary, 'payrail_replica');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-replica-'));
    const config = loadConfig({
      DATABASE_URL: primary.url(),
      DATABASE_READ_URL: replica.url(),
      DATA_DIR: dataDir,
      PAYRAIL_ENV: 'test',
      NOTIFY_SCHEDULE: '200ms,500ms,1s',
    });
    const logs = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    gateway = await buildGateway({ config, logger: createLogger('info', logs) });
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(gateway.app.server.address() as { port: number }).port}`;
    gateway.startWorkers({ pollMs: 100 });
    merchant = await createMerchant(gateway.context.db, gateway.context.masterKey, { name: 'Replica Store' });
    receiver = await startReceiver();
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await receiver?.close();
    await replica?.stop();
    await primary?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the console through the replica, which streams what the primary writes', async () => {
    const inRecovery = async (db: Gateway['context']['db']) => (await sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`.execute(db)).rows[0]!.r;
    expect(await inRecovery(gateway.context.readDb)).toBe(true);
    expect(await inRecovery(gateway.context.db)).toBe(false);
    const order = await createOrder(base, merchant);
    expect(order.code).toBe('0000');
    for (let tries = 0; ; tries++) {
      const seen = await gateway.context.readDb.selectFrom('orders').select('trade_no').where('trade_no', '=', order.tradeNo).executeTakeFirst();
      if (seen) break;
      if (tries > 100) throw new Error('the order never reached the replica');
      await pause(50);
    }
  });

  it("picks the server by target_session_attrs whatever the order of the hosts, as libpq does", async () => {
    const hosts = `127.0.0.1:${replica.port},127.0.0.1:${primary.port}`;
    const reversed = `127.0.0.1:${primary.port},127.0.0.1:${replica.port}`;
    const inRecovery = async (url: string, readUrl?: string) => {
      const handle = await openDatabase({ databaseUrl: url, readDatabaseUrl: readUrl, dataDir: os.tmpdir(), poolSize: 1 });
      try {
        const read = async (db: typeof handle.db) => (await sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`.execute(db)).rows[0]!.r;
        return [await read(handle.db), await read(handle.readDb)];
      } finally {
        await handle.close();
      }
    };
    // The standby is listed first: the gateway's writes still go to the primary.
    expect(await inRecovery(`postgres://postgres@${hosts}/postgres`)).toEqual([false, false]);
    expect(await inRecovery(`postgres://postgres@${reversed}/postgres?target_session_attrs=primary`, `postgres://postgres@${reversed}/postgres?target_session_attrs=standby`)).toEqual([false, true]);
    expect((await inRecovery(`postgres://postgres@${reversed}/postgres`, `postgres://postgres@${reversed}/postgres?target_session_attrs=prefer-standby`))[1]).toBe(true);
    // Only the standby listed: no server takes writes, answered at once as "no database now".
    const standbyOnly = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${replica.port}/postgres?target_session_attrs=read-write`, dataDir: os.tmpdir(), poolSize: 1 });
    try {
      const started = Date.now();
      await expect(standbyOnly.db.selectFrom('orders').select('trade_no').limit(1).execute()).rejects.toThrow(/no server fits target_session_attrs=read-write: .* is a standby/);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await standbyOnly.close();
    }
  });

  it('only the console uses readDb: nothing that decides money can read from the replica', () => {
    const users: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && /\breadDb\b/.test(fs.readFileSync(full, 'utf8'))) users.push(path.relative(root, full));
      }
    };
    walk(path.join(root, 'src'));
    const allowed = (file: string) => file.startsWith('src/dashboard/') || ['src/context.ts', 'src/server.ts', 'src/db/connect.ts'].includes(file);
    expect(users.filter((file) => !allowed(file))).toEqual([]);
  });

  it('creates, pays, notifies and refunds with the replica stopped; the console read fails on its own', async () => {
    await replica.stopFast();
    await expect(gateway.context.readDb.selectFrom('orders').select('trade_no').limit(1).execute()).rejects.toBeInstanceOf(DatabaseUnavailableError);

    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const order = await createOrder(base, merchant, { notifyUrl: `${receiver.url}/notify` });
    expect(order.code).toBe('0000');
    expect(paidPage(await payOrder(base, order.token!))).toBe(true);
    await receiver.waitFor(1, 10_000);
    expect(receiver.received[0]!.body).toMatchObject({ tradeNo: order.tradeNo, status: '0000' });
    expect((await callApi(base, '/v1/checkout/query', merchant, { tradeNo: order.tradeNo })).body?.data).toMatchObject({ status: '0000' });
    expect((await callApi(base, '/v1/refund', merchant, { tradeNo: order.tradeNo, refundNo: `R-${order.tradeNo}`, amount: '1.00' })).code).toBe('0000');

    // The replica's outage is its own: logged as such, the primary's health untouched.
    expect(logLines.filter((line) => line.msg.startsWith('read replica (DATABASE_READ_URL) unreachable'))).toHaveLength(1);
    expect(logLines.filter((line) => line.msg.startsWith('database unreachable'))).toEqual([]);
    expect(gateway.context.dbHealth.reachable).toBe(true);

    await replica.start();
    for (let tries = 0; ; tries++) {
      const seen = await gateway.context.readDb.selectFrom('orders').select('trade_no').where('trade_no', '=', order.tradeNo).executeTakeFirst().catch(() => undefined);
      if (seen) break;
      if (tries > 200) throw new Error('the replica did not come back');
      await pause(50);
    }
  }, 60_000);
});
