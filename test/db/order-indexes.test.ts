import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { describeEachDatabase, freshDatabase } from '../support/test-gateway.ts';

/** Every create-checkout maintains every index on orders: each must say which query needs it. */
describeEachDatabase('the indexes on orders', (kind) => {
  let handle: DatabaseHandle;
  let dataDir: string;
  beforeAll(async () => {
    ({ handle, dataDir } = await freshDatabase(kind));
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('each name the query they serve in their comment, on orders and on order_keys (its uniqueness across months)', async () => {
    const indexes = await sql<{ name: string; comment: string | null }>`
      SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid IN ('orders'::regclass, 'order_keys'::regclass) ORDER BY 1`.execute(handle.db);
    expect(indexes.rows.map((index) => index.name)).toEqual(expect.arrayContaining([
      'order_keys_merchant_no_trade_no_key', 'order_keys_payment_token_key', 'order_keys_pkey',
      'orders_newest_first', 'orders_open_by_expiry', 'orders_pkey', 'orders_to_settle',
    ]));
    for (const index of indexes.rows) expect(index.comment, index.name).toMatch(/^serves \S/);
  });

  it('are partitioned indexes: one small index per month partition, none on orders as a whole', async () => {
    const kinds = await sql<{ kind: string }>`
      SELECT DISTINCT c.relkind AS kind FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'orders'::regclass`.execute(handle.db);
    expect(kinds.rows).toEqual([{ kind: 'I' }]);
  });

  it('leave no foreign key from orders to merchants, and keep the one from order_events to the order (through order_keys)', async () => {
    const keys = await sql<{ name: string }>`
      SELECT conname AS name FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('orders'::regclass, 'order_events'::regclass) ORDER BY 1`.execute(handle.db);
    expect(keys.rows.map((key) => key.name)).toEqual(['order_events_order_no_fkey']);
    const target = await sql<{ target: string }>`
      SELECT confrelid::regclass::text AS target FROM pg_constraint WHERE conname = 'order_events_order_no_fkey' AND conrelid = 'order_events'::regclass`.execute(handle.db);
    expect(target.rows).toEqual([{ target: 'order_keys' }]);
  });
});
