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

  it('on order_events and ledger_entries (two and three rows a payment) are one each: the primary key is the index their readers use (0042)', async () => {
    const indexes = await sql<{ table: string; definition: string; primary: boolean }>`
      SELECT i.indrelid::regclass::text AS table, pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary
        FROM pg_index i WHERE i.indrelid IN ('order_events'::regclass, 'ledger_entries'::regclass) ORDER BY 1, 2`.execute(handle.db);
    expect(indexes.rows.map((row) => `${row.table}: ${row.definition.replace(/^.* USING btree /, '')}${row.primary ? ' primary key' : ''}`)).toEqual([
      'ledger_entries: (merchant_no, account)',
      'ledger_entries: (posting_id, id, created_at) primary key',
      'order_events: (order_no, id, created_at) primary key',
    ]);
  });

  it('leave order_events and ledger_entries their foreign keys', async () => {
    const keys = await sql<{ table: string; target: string }>`
      SELECT conrelid::regclass::text AS table, confrelid::regclass::text AS target FROM pg_constraint
       WHERE contype = 'f' AND conrelid IN ('order_events'::regclass, 'ledger_entries'::regclass) AND conparentid = 0 ORDER BY 1`.execute(handle.db);
    expect(keys.rows).toEqual([
      { table: 'ledger_entries', target: 'ledger_postings' },
      { table: 'order_events', target: 'order_keys' },
    ]);
  });
});
