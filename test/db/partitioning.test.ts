import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { requestHash } from '../../src/api/request-hash.ts';
import { feeOf } from '../../src/domain/fees.ts';
import { cents } from '../../src/domain/money.ts';
import { newPaymentToken, newPlatFormTradeNo } from '../../src/domain/ids.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { findOrderByNo, selectOrderByNo, selectOrderByNoInItsMonth } from '../../src/store/orders.ts';
import { createPartitionsAhead, listPartitions, monthStart, partitionName, PARTITIONED_TABLES, MONTHS_AHEAD } from '../../src/store/partitions.ts';
import { checkoutFields, describeEachDatabase, freshDatabase, startTestGateway, type DatabaseKind, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';

const DAY = 86_400_000;

/** The partition a row of `table` is in. */
async function partitionOf(db: Kysely<Database>, table: string, where: string, value: string): Promise<string> {
  const result = await sql<{ partition: string }>`SELECT tableoid::regclass::text AS partition FROM ${sql.table(table)} WHERE ${sql.ref(where)} = ${value}`.execute(db);
  return result.rows.map((row) => row.partition).join(',');
}

/** An empty database with no migrations run. */
async function emptyDatabase(kind: DatabaseKind): Promise<{ handle: DatabaseHandle; dataDir: string }> {
  if (kind === 'postgres') return freshDatabase(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-test-'));
  return { handle: await openDatabase({ dataDir }), dataDir };
}

describeEachDatabase('monthly partitions', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.gateway.context.db;

  it('partition orders, attempts, events, notification attempts and ledger entries by range, with this month and the next ones ready', async () => {
    const parents = await sql<{ table: string; strategy: string }>`
      SELECT c.relname AS table, p.partstrat AS strategy FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`.execute(db());
    expect(parents.rows).toEqual([...PARTITIONED_TABLES].sort().map((table) => ({ table, strategy: 'r' })));
    const partitions = await listPartitions(db());
    const now = new Date();
    for (const table of PARTITIONED_TABLES) {
      for (let month = 0; month <= MONTHS_AHEAD; month++) {
        const at = new Date(monthStart(now, month));
        expect(partitions.map((p) => p.partition), `${table} ${month}`).toContain(partitionName(table, at));
      }
    }
    const thisMonth = partitions.find((p) => p.partition === partitionName('orders', now))!;
    expect(thisMonth.bound).toContain(`FROM ('${monthStart(now)} 00:00:00+00') TO ('${monthStart(now, 1)} 00:00:00+00')`);
  });

  it('put rows of different months in different partitions, and still find each by number', async () => {
    const fresh = await t.post('/v1/checkout', checkoutFields());
    const orderNo = fresh.body.data.platFormTradeNo as string;
    expect(await partitionOf(db(), 'orders', 'plat_form_trade_no', orderNo)).toBe(partitionName('orders', new Date()));
    expect(await partitionOf(db(), 'order_events', 'order_no', orderNo)).toBe(partitionName('order_events', new Date()));

    // An order of last month, written as the group commit would have written it then.
    const lastMonth = new Date(Date.now() - 40 * DAY);
    await createPartitionsAhead(db(), lastMonth, 0);
    const oldNo = newPlatFormTradeNo();
    await sql`INSERT INTO order_keys (plat_form_trade_no, merchant_no, trade_no, payment_token, created_at)
              VALUES (${oldNo}, ${t.merchant.merchantNo}, ${`OLD${oldNo}`}, ${newPaymentToken()}, ${lastMonth})`.execute(db());
    await sql`INSERT INTO orders (plat_form_trade_no, merchant_no, trade_no, request_hash, amount_cents, currency, mobile, email, user_id,
                                  notify_url, return_url, payment_token, expires_at, created_at, status, status_desc, ended_at)
              SELECT plat_form_trade_no, merchant_no, trade_no, 'h', 100, 'USD', '1', 'a@b.c', 'u', 'https://m.example/n', 'https://m.example/r',
                     payment_token, created_at, created_at, '00030', 'EXPIRED', created_at FROM order_keys WHERE plat_form_trade_no = ${oldNo}`.execute(db());
    expect(await partitionOf(db(), 'orders', 'plat_form_trade_no', oldNo)).toBe(partitionName('orders', lastMonth));
    expect((await findOrderByNo(db(), oldNo))?.trade_no).toBe(`OLD${oldNo}`);
    const query = await t.post('/v1/checkout/query', { platFormTradeNo: oldNo });
    expect(query.body.data).toMatchObject({ tradeNo: `OLD${oldNo}`, status: '00029' });

    const paid = await CashierClient.forNewOrder(t);
    await paid.open();
    await paid.pay('4242424242424242');
    const attempt = await db().selectFrom('payment_attempts').selectAll().where('order_no', '=', paid.platFormTradeNo).executeTakeFirstOrThrow();
    expect(attempt.status).toBe('approved');
    expect(await partitionOf(db(), 'payment_attempts', 'order_no', paid.platFormTradeNo)).toBe(partitionName('payment_attempts', new Date()));
    const entries = await sql<{ partition: string }>`
      SELECT DISTINCT e.tableoid::regclass::text AS partition FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE p.order_no = ${paid.platFormTradeNo}`.execute(db());
    expect(entries.rows.map((row) => row.partition)).toEqual([partitionName('ledger_entries', new Date())]);
  });

  it('read one partition of orders for a lookup by number (the others are never executed)', async () => {
    const created = await t.post('/v1/checkout', checkoutFields());
    const orderNo = created.body.data.platFormTradeNo as string;
    const query = selectOrderByNo(db(), orderNo).compile();
    const plan = await db().executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${query.sql}`, [...query.parameters]),
    );
    const lines = plan.rows.map((row) => row['QUERY PLAN']);
    const scans = lines.filter((line) => /Scan.* on orders_y\d{4}m\d{2}/.test(line));
    const executed = scans.filter((line) => !line.includes('never executed'));
    expect(scans.length, lines.join('\n')).toBeGreaterThanOrEqual(MONTHS_AHEAD + 1);
    expect(executed, lines.join('\n')).toHaveLength(1);
    expect(executed[0]).toContain(partitionName('orders', new Date()));
  });

  it('plan only the partition of the month an order number names', async () => {
    const created = await t.post('/v1/checkout', checkoutFields());
    const orderNo = created.body.data.platFormTradeNo as string;
    const query = selectOrderByNoInItsMonth(db(), orderNo)!.compile();
    const plan = await db().executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (COSTS OFF) ${query.sql}`, [...query.parameters]));
    const scans = plan.rows.map((row) => row['QUERY PLAN']).filter((line) => /Scan.* on orders_y\d{4}m\d{2}/.test(line));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toContain(partitionName('orders', new Date()));
    expect((await findOrderByNo(db(), orderNo))?.plat_form_trade_no).toBe(orderNo);
  });

  it('make the next months ahead once: again, it makes nothing', async () => {
    const later = new Date(Date.UTC(2031, 4, 15));
    const made = await createPartitionsAhead(db(), later, 2);
    expect(made).toHaveLength(3 * PARTITIONED_TABLES.length);
    expect(made).toContain('orders_y2031m07');
    expect(made).toContain('ledger_entries_y2031m05');
    expect(await createPartitionsAhead(db(), later, 2)).toEqual([]);
    const july = await t.gateway.context.db.selectFrom('orders').select('plat_form_trade_no').where('created_at', '>=', new Date(Date.UTC(2031, 6, 1))).execute();
    expect(july).toEqual([]);
  });

  it('make each partition once when two nodes run the sweep at the same time', async () => {
    const later = new Date(Date.UTC(2033, 0, 10));
    // A second node: its own pool on the same PostgreSQL database (PGlite has one process only).
    const name = await sql<{ name: string }>`SELECT current_database() AS name`.execute(db());
    const databaseUrl = inject('postgresUrl').replace(/\/[^/]*$/, `/${name.rows[0]!.name}`);
    const other = kind === 'postgres' ? await openDatabase({ databaseUrl, dataDir: t.dataDir }) : undefined;
    try {
      const runs = await Promise.all([
        createPartitionsAhead(db(), later, 1),
        createPartitionsAhead(other?.db ?? db(), later, 1),
        createPartitionsAhead(db(), later, 1),
      ]);
      const made = runs.flat();
      expect(new Set(made).size).toBe(made.length);
      // A node that found the work under way skipped it; whoever runs next finds all made.
      await createPartitionsAhead(other?.db ?? db(), later, 1);
      const partitions = (await listPartitions(db())).map((p) => p.partition);
      for (const table of PARTITIONED_TABLES) {
        expect(partitions).toContain(`${table}_y2033m01`);
        expect(partitions).toContain(`${table}_y2033m02`);
      }
    } finally {
      await other?.close();
    }
  });
});

describeEachDatabase('upgrading a database with orders to monthly partitions', (kind) => {
  let t: TestGateway;
  const lastMonth = new Date(Date.now() - 40 * DAY);
  const oldFields = checkoutFields({ amount: '100.00' });
  const openFields = checkoutFields({ amount: '20.00' });
  const paidNo = newPlatFormTradeNo();
  const openNo = newPlatFormTradeNo();
  let before: Record<string, number>;
  const merchantNo = '7000000001';
  let old: TestMerchant;

  const countAll = async (db: Kysely<Database>) => {
    const counts: Record<string, number> = {};
    for (const table of [...PARTITIONED_TABLES, 'refunds', 'jobs', 'ledger_postings']) {
      const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
      counts[table] = result.rows[0]!.n;
    }
    return counts;
  };

  beforeAll(async () => {
    const database = await emptyDatabase(kind);
    const db = database.handle.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const upTo0026 = await migrator.migrateTo('0026-audit-log');
    if (upTo0026.error) throw upTo0026.error;
    // Data as the gateway wrote it before partitioning: a paid order of last month with its
    // attempt, events, notification, posting and the simulator's charge, and an open order of today.
    await sql`INSERT INTO merchants (merchant_no, name, app_secret_sealed) VALUES (${merchantNo}, 'Old Store', 'sealed below')`.execute(db);
    const order = (no: string, fields: Record<string, unknown>, createdAt: Date, paid: boolean) => sql`
      INSERT INTO orders (plat_form_trade_no, merchant_no, trade_no, request_hash, amount_cents, currency, mobile, email, user_id,
                          notify_url, return_url, remark, payment_token, expires_at, created_at, status, status_desc, paid_at, ended_at, card_brand, card_last4)
      VALUES (${no}, ${merchantNo}, ${fields.tradeNo as string}, ${requestHash(fields as never)}, ${Math.round(Number(fields.amount) * 100)}, 'USD',
              ${fields.mobile as string}, ${fields.email as string}, ${fields.userId as string}, ${fields.notifyUrl as string}, ${fields.returnUrl as string},
              ${fields.remark as string}, ${newPaymentToken()}, ${new Date(createdAt.getTime() + (paid ? 600_000 : DAY))}, ${createdAt},
              ${paid ? '0000' : '0015'}, ${paid ? 'SUCCESS' : 'CREATED'}, ${paid ? createdAt : null}, ${paid ? createdAt : null},
              ${paid ? 'visa' : null}, ${paid ? '4242' : null})`.execute(db);
    await order(paidNo, oldFields, lastMonth, true);
    await order(openNo, openFields, new Date(), false);
    await sql`INSERT INTO order_events (order_no, type, created_at) VALUES (${paidNo}, 'created', ${lastMonth}), (${paidNo}, 'attempt_approved', ${lastMonth}), (${openNo}, 'created', now())`.execute(db);
    await sql`INSERT INTO payment_attempts (id, order_no, status, card_brand, card_bin, card_last4, card_fingerprint, acquirer_reference, acquirer, check_after, created_at, updated_at)
              VALUES ('att_old', ${paidNo}, 'approved', 'visa', '424242', '4242', 'fp', 'sim_old_ref', 'simulator', ${lastMonth}, ${lastMonth}, ${lastMonth})`.execute(db);
    await sql`INSERT INTO simulator_charges (idempotency_key, reference, amount_cents, currency, charged_at) VALUES ('att_old', 'sim_old_ref', 10000, 'USD', ${lastMonth})`.execute(db);
    await sql`INSERT INTO jobs (id, kind, order_no, status, attempts, run_at, created_at, finished_at) VALUES ('job_old', 'notify', ${paidNo}, 'done', 1, ${lastMonth}, ${lastMonth}, ${lastMonth})`.execute(db);
    await sql`INSERT INTO notification_attempts (notify_id, attempted_at, worker, url, acknowledged, http_status, latency_ms) VALUES ('job_old', ${lastMonth}, 'old-node', 'https://merchant.example/notify', true, 200, 12)`.execute(db);
    const fee = feeOf(cents(10000), 290);
    const posting = await sql<{ id: number }>`INSERT INTO ledger_postings (kind, merchant_no, order_no, created_at) VALUES ('payment', ${merchantNo}, ${paidNo}, ${lastMonth}) RETURNING id`.execute(db);
    await sql`INSERT INTO ledger_entries (posting_id, account, merchant_no, amount_cents) VALUES
              (${posting.rows[0]!.id}, 'acquirer_clearing', ${merchantNo}, 10000),
              (${posting.rows[0]!.id}, 'merchant_pending', ${merchantNo}, ${-(10000 - fee)}),
              (${posting.rows[0]!.id}, 'fee_revenue', ${merchantNo}, ${-fee})`.execute(db);
    before = await countAll(db);

    await migrateToLatest(db);
    t = await startTestGateway(kind, {}, { database });
    // The old merchant gets the test merchant's sealed secret, so the test can sign as it.
    await sql`UPDATE merchants SET app_secret_sealed = (SELECT app_secret_sealed FROM merchants WHERE merchant_no = ${t.merchant.merchantNo})
               WHERE merchant_no = ${merchantNo}`.execute(t.gateway.context.db);
    old = { merchantNo, appSecret: t.merchant.appSecret };
  });
  afterAll(async () => {
    await t?.close();
  });
  const db = () => t.gateway.context.db;

  it('keep every row, each in the partition of its month', async () => {
    const after = await countAll(db());
    expect(after).toEqual(before);
    expect(await partitionOf(db(), 'orders', 'plat_form_trade_no', paidNo)).toBe(partitionName('orders', lastMonth));
    expect(await partitionOf(db(), 'orders', 'plat_form_trade_no', openNo)).toBe(partitionName('orders', new Date()));
    expect(await partitionOf(db(), 'payment_attempts', 'id', 'att_old')).toBe(partitionName('payment_attempts', lastMonth));
    expect(await partitionOf(db(), 'order_events', 'order_no', openNo)).toBe(partitionName('order_events', new Date()));
    expect(await partitionOf(db(), 'notification_attempts', 'notify_id', 'job_old')).toBe(partitionName('notification_attempts', lastMonth));
    const entry = await sql<{ partition: string }>`SELECT DISTINCT tableoid::regclass::text AS partition FROM ledger_entries`.execute(db());
    expect(entry.rows.map((row) => row.partition)).toEqual([partitionName('ledger_entries', lastMonth)]);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('answer a tradeNo of last month with its order, and refuse it for another request (8005)', async () => {
    const again = await t.post('/v1/checkout', oldFields, { merchant: old });
    expect(again.body).toMatchObject({ code: '0000', data: { platFormTradeNo: paidNo } });
    const other = await t.post('/v1/checkout', { ...oldFields, amount: '100.01' }, { merchant: old });
    expect(other.body.code).toBe('8005');
    const today = await t.post('/v1/checkout', openFields, { merchant: old });
    expect(today.body).toMatchObject({ code: '0000', data: { platFormTradeNo: openNo } });
    const orders = await db().selectFrom('orders').select('plat_form_trade_no').where('merchant_no', '=', merchantNo).execute();
    expect(orders).toHaveLength(2);
  });

  it('find old orders by tradeNo and by number, refund last month\'s payment, close today\'s order, and keep the ledger whole', async () => {
    const byTradeNo = await t.post('/v1/checkout/query', { tradeNo: oldFields.tradeNo! }, { merchant: old });
    expect(byTradeNo.body.data).toMatchObject({ platFormTradeNo: paidNo, status: '0000', amount: '100.00' });
    // Numbers from before 0033 name no month: found through order_keys.
    expect((await findOrderByNo(db(), paidNo))?.trade_no).toBe(oldFields.tradeNo);
    const byNo = await t.post('/v1/checkout/query', { platFormTradeNo: paidNo }, { merchant: old });
    expect(byNo.body.data).toMatchObject({ tradeNo: oldFields.tradeNo, status: '0000' });

    const refund = await t.post('/v1/refund', { tradeNo: oldFields.tradeNo!, refundNo: 'R-after-upgrade', amount: '40.00' }, { merchant: old });
    expect(refund.body).toMatchObject({ code: '0000', data: { status: '0000', refundedAmount: '40.00' } });
    const tooMuch = await t.post('/v1/refund', { platFormTradeNo: paidNo, refundNo: 'R-too-much', amount: '60.01' }, { merchant: old });
    expect(tooMuch.body.code).toBe('8011');

    const closed = await t.post('/v1/checkout/close', { tradeNo: openFields.tradeNo! }, { merchant: old });
    expect(closed.body.data).toMatchObject({ platFormTradeNo: openNo, desc: 'CLOSED' });
    expect(await checkLedger(db())).toEqual([]);
    const events = await db().selectFrom('order_events').select('type').where('order_no', '=', paidNo).orderBy('id').execute();
    expect(events.map((event) => event.type)).toEqual(['created', 'attempt_approved', 'refund_requested', 'refund_succeeded']);
  });

  it('pay a new order on the upgraded database, in this month\'s partitions', async () => {
    const customer = await CashierClient.forNewOrder(t, {}, old);
    await customer.open();
    await customer.pay('4242424242424242');
    const query = await t.post('/v1/checkout/query', { tradeNo: customer.tradeNo }, { merchant: old });
    expect(query.body.data.status).toBe('0000');
    expect(await partitionOf(db(), 'payment_attempts', 'order_no', customer.platFormTradeNo)).toBe(partitionName('payment_attempts', new Date()));
    expect(await checkLedger(db())).toEqual([]);
  });
});
