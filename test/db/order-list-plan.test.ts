import fs from 'node:fs';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ALL_MERCHANTS, oneMerchant, type ConsoleScope } from '../../src/domain/console-scope.ts';
import { listOrders, ordersPageQuery, type OrderFilter } from '../../src/store/console/list-orders.ts';
import { ensureMonth } from '../support/backdate-order.ts';
import { freshDatabase } from '../support/test-gateway.ts';

const ORDERS = 200_000;
const MERCHANTS = 20;
const SMALL = '0000000021';

/**
 * An index scan of the named index of `orders` (migrations 0007, 0030) in a month partition: orders
 * is partitioned by month (0033), so the plan walks each month's copy of the index, named by
 * PostgreSQL after the partition and the columns.
 */
const INDEX_SCAN = (which: string) => {
  const columns: Record<string, string> = { newest_first: 'created_at_plat_form_trade_no_idx', by_merchant_newest_first: 'merchant_no_created_at_plat_form_trade_no_idx', '(by_merchant_)?newest_first': '(merchant_no_)?created_at_plat_form_trade_no_idx' };
  return new RegExp(`Index Scan using orders_y\\d{4}m\\d{2}_${columns[which]} on orders_y\\d{4}m\\d{2}`);
};

/**
 * The console's order list at scale, on the PostgreSQL server: 200k orders across 20 merchants,
 * and the list query must walk an index in order (newest first) instead of reading every row
 * and sorting them, so that a page costs the same at the millionth order as at the first.
 */
describe('the console order list query plan [postgres]', () => {
  let handle: DatabaseHandle;
  let dataDir: string;

  beforeAll(async () => {
    ({ handle, dataDir } = await freshDatabase('postgres'));
    await migrateToLatest(handle.db);
    await sql`INSERT INTO merchants (merchant_no, name, app_secret_sealed)
      SELECT lpad(m::text, 10, '0'), 'Shop ' || m, 'sealed' FROM generate_series(1, ${MERCHANTS + 1}) AS m`.execute(handle.db);
    // 200k orders, 13 s apart, reach back about 30 days: into last month's partition.
    await ensureMonth(handle.db, new Date(Date.now() - ORDERS * 13_000));
    // One small merchant among big ones: one order in 400 is its.
    await sql`INSERT INTO orders (plat_form_trade_no, merchant_no, trade_no, request_hash, amount_cents, currency, mobile, email, user_id,
        notify_url, return_url, status, status_desc, expires_at, created_at, card_last4)
      SELECT lpad(to_hex(i), 16, '0'), CASE WHEN i % 400 = 0 THEN ${SMALL} ELSE lpad((i % ${MERCHANTS} + 1)::text, 10, '0') END, 'T' || i, 'h', 100 + i % 50000, 'USD', '918234567890',
             'buyer' || (i % 1000) || '@example.com', 'u', 'https://m.example/n', 'https://m.example/r',
             CASE WHEN i % 3 = 0 THEN '0000' ELSE '0015' END, CASE WHEN i % 3 = 0 THEN 'SUCCESS' ELSE 'CREATED' END,
             now() + interval '1 hour', now() - i * interval '13 seconds', lpad((i % 10000)::text, 4, '0')
        FROM generate_series(1, ${ORDERS}) AS i`.execute(handle.db);
    // Their keys, as the group commit writes them (order_keys: uniqueness across months, the cursor's lookup).
    await sql`INSERT INTO order_keys (plat_form_trade_no, merchant_no, trade_no, created_at)
      SELECT plat_form_trade_no, merchant_no, trade_no, created_at FROM orders`.execute(handle.db);
    await sql`ANALYZE orders`.execute(handle.db);
    await sql`ANALYZE order_keys`.execute(handle.db);
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function plan(scope: ConsoleScope, filter: OrderFilter, after?: string) {
    const compiled = ordersPageQuery(handle.db, scope, filter, { limit: 50, after }).compile();
    const result = await handle.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]));
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  const cursor = async (scope: ConsoleScope) => (await listOrders(handle.db, scope, {}, { limit: 50 })).next!;
  const DAY = 24 * 60 * 60 * 1000;

  it('seeds 200k orders', async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM orders`.execute(handle.db);
    expect(Number(rows[0]!.n)).toBe(ORDERS);
  });

  it('walks orders_newest_first for every merchant, on the first page and after a cursor, without a sort', async () => {
    for (const shown of [await plan(ALL_MERCHANTS, {}), await plan(ALL_MERCHANTS, {}, await cursor(ALL_MERCHANTS))]) {
      expect(shown).toMatch(INDEX_SCAN('newest_first'));
      expect(shown).not.toMatch(/Seq Scan on orders|Sort/);
    }
  });

  it('walks orders_by_merchant_newest_first for a small merchant (a merchant user, or a merchant filter)', async () => {
    const scope = oneMerchant(SMALL);
    for (const shown of [await plan(scope, {}), await plan(scope, {}, await cursor(scope)), await plan(ALL_MERCHANTS, { merchantNo: SMALL })]) {
      expect(shown).toMatch(INDEX_SCAN('by_merchant_newest_first'));
      expect(shown).not.toMatch(/Seq Scan on orders|Sort/);
    }
  });

  it('walks one of the two indexes in order for a big merchant, whichever reads fewer rows', async () => {
    const scope = oneMerchant('0000000007');
    for (const shown of [await plan(scope, {}), await plan(scope, { status: '0000' }, await cursor(scope))]) {
      expect(shown).toMatch(INDEX_SCAN('(by_merchant_)?newest_first'));
      expect(shown).not.toMatch(/Seq Scan on orders|Sort/);
    }
  });

  it('keeps to the index with a date range, a status and an amount range', async () => {
    const now = Date.now();
    const shown = await plan(ALL_MERCHANTS, { createdFrom: new Date(now - 7 * DAY), createdBefore: new Date(now - DAY), status: '0000', minCents: 100 as never });
    expect(shown).toMatch(INDEX_SCAN('newest_first'));
    expect(shown).not.toMatch(/Seq Scan on orders|Sort/);
  });

  it('answers a page of one merchant with the right rows, newest first', async () => {
    const page = await listOrders(handle.db, oneMerchant('0000000007'), { status: '0000' }, { limit: 5 });
    expect(page.orders.map((o) => o.merchant_no)).toEqual(Array(5).fill('0000000007'));
    const times = page.orders.map((o) => o.created_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
