import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { fixedText } from '../../src/store/compiled-once.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';

/**
 * On PostgreSQL the pay path's statements go as named prepared statements, planned once per
 * connection with a generic plan (src/db/prepared-statements.ts; docs/performance.md, "Fifth
 * round"). One pooled connection here, so the test reads that connection's own
 * pg_prepared_statements through the gateway's pool.
 */
describe('named prepared statements on the pay path [postgres]', () => {
  let t: TestGateway;
  let databaseUrl: string;

  beforeAll(async () => {
    const name = `payrail_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = inject('postgresUrl').replace(/\/[^/]*$/, `/${name}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-test-'));
    const handle = await openDatabase({ databaseUrl, dataDir, poolSize: 1 });
    t = await startTestGateway('postgres', {}, { database: { handle, dataDir } });
  });
  afterAll(() => t.close());

  const pay = async () => {
    const customer = await CashierClient.forNewOrder(t);
    expect((await customer.open()).status).toBe(200);
    const paid = await customer.pay('4242424242424242');
    expect(paid.status).toBe(200);
    const order = await t.gateway.context.db.selectFrom('orders').select('status').where('plat_form_trade_no', '=', customer.platFormTradeNo).executeTakeFirstOrThrow();
    expect(order.status).toBe('0000');
  };

  const prepared = async () =>
    (
      await sql<{ name: string; statement: string; generic_plans: number; custom_plans: number }>`
        SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements`.execute(t.gateway.context.db)
    ).rows;

  const find = (rows: Awaited<ReturnType<typeof prepared>>, pattern: RegExp) => {
    const found = rows.filter((row) => pattern.test(row.statement.replace(/\s+/g, ' ')));
    expect(found, String(pattern)).toHaveLength(1);
    return found[0]!;
  };

  /** The create's batch, the page's read, the start's two statements, the simulator's record, the outcome. */
  const PAY_PATH = [
    /INSERT INTO order_keys/,
    /^select "plat_form_trade_no", .* from "orders" where/,
    /^update "orders" set "status" = \$1/,
    /INSERT INTO payment_attempts/,
    /INSERT INTO simulator_authorizations/,
    /WITH attempt AS \( UPDATE payment_attempts/,
  ];

  it('prepares each pay-path statement once on the connection and runs its generic plan from then on', async () => {
    await pay();
    const first = await prepared();
    const once = PAY_PATH.map((pattern) => find(first, pattern));
    await pay();
    await pay();
    const later = await prepared();
    expect(later.map((row) => row.name).sort()).toEqual(first.map((row) => row.name).sort());
    for (const [i, pattern] of PAY_PATH.entries()) {
      const row = find(later, pattern);
      expect(row.name).toBe(once[i]!.name);
      expect(row.generic_plans, String(pattern)).toBeGreaterThan(once[i]!.generic_plans);
      expect(row.custom_plans, String(pattern)).toBe(0);
    }
  });

  /** A value as pg sends it, as an SQL literal (EXECUTE takes no parameters). */
  const literal = (value: unknown): string => {
    const text = (item: unknown) => (item instanceof Date ? item.toISOString() : String(item));
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return literal(`{${value.map((item) => (item === null ? 'NULL' : `"${text(item).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`);
    return `'${text(value).replace(/'/g, "''")}'`;
  };

  it('runs generic plans that prune the months at run time and scan no table whole', async () => {
    // What each named statement was last sent with, to EXPLAIN it (no ANALYZE: nothing runs).
    const sent = new Map<string, unknown[]>();
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as { name?: string; values?: unknown[] };
      if (typeof config === 'object' && config.name) sent.set(config.name, config.values ?? []);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await pay();
    } finally {
      pg.Client.prototype.query = query;
    }
    const rows = await prepared();
    // The outcome is left out: it joins rows of its own CTEs to orders and merchants,
    // and on a test database of a few rows a scan is the cheapest plan, generic or custom alike.
    for (const pattern of PAY_PATH.slice(0, 5)) {
      const { name } = find(rows, pattern);
      // A new attempt id: the attempt's insert runs again.
      const values = sent.get(name)!.map((value) => (typeof value === 'string' && value.startsWith('att_') ? 'att_explained' : value));
      // Run for real (the months are chosen at run time, from values or from order_keys), then undone.
      let plan = '';
      await expect(
        t.gateway.context.db.transaction().execute(async (trx) => {
          // As the pool runs a named statement (EXECUTE here takes literals: no parameters, no switch).
          await sql`SET LOCAL plan_cache_mode = force_generic_plan`.execute(trx);
          const explained = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE ${name}(${values.map(literal).join(', ')})`).execute(trx);
          plan = explained.rows.map((row) => row['QUERY PLAN']).join('\n');
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(plan, String(pattern)).not.toMatch(/Seq Scan/);
      // Every month's partition is in the generic plan; at most one of them is read.
      const partitionScans = plan.split('\n').filter((line) => /Scan .* on \w+_y\d{4}m\d{2}\b/.test(line));
      expect(partitionScans.filter((line) => !/never executed/.test(line)).length, `${String(pattern)}\n${plan}`).toBeLessThanOrEqual(1);
      if (/"orders"/.test(String(pattern))) expect(partitionScans.length, plan).toBeGreaterThan(0);
    }
  });

  it('plans other statements for their values: the session plans generically only for a named one', async () => {
    const db = t.gateway.context.db;
    // Two texts: the registry is by text, so once registered a text always goes named.
    const mode = sql<{ mode: string }>`SELECT current_setting('plan_cache_mode') AS mode WHERE ${1}::int = 1`;
    const named = sql<{ mode: string }>`SELECT current_setting('plan_cache_mode') AS mode WHERE ${2}::int = 2`;
    expect((await mode.execute(db)).rows[0]!.mode).toBe('auto');
    expect((await fixedText(db, named)).rows[0]!.mode).toBe('force_generic_plan');
    expect((await mode.execute(db)).rows[0]!.mode).toBe('auto');
    // A SET inside a transaction ends with it: after a rollback the session is set again.
    await fixedText(db, named);
    await expect(
      db.transaction().execute(async (trx) => {
        expect((await mode.execute(trx)).rows[0]!.mode).toBe('auto');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await mode.execute(db)).rows[0]!.mode).toBe('auto');
    expect((await fixedText(db, named)).rows[0]!.mode).toBe('force_generic_plan');
  });

  it('still pays after a newer node adds columns to orders and payment_attempts (a rolling upgrade)', async () => {
    await pay();
    expect((await prepared()).length).toBeGreaterThanOrEqual(PAY_PATH.length);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER TABLE orders ADD COLUMN upgrade_note text DEFAULT 'from a newer node'`);
      await admin.query('ALTER TABLE payment_attempts ADD COLUMN upgrade_note text');
      await pay();
      await pay();
    } finally {
      await admin.query('ALTER TABLE orders DROP COLUMN IF EXISTS upgrade_note');
      await admin.query('ALTER TABLE payment_attempts DROP COLUMN IF EXISTS upgrade_note');
      await admin.end();
    }
  });
});
