import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { describeEachDatabase, freshDatabase } from '../support/test-gateway.ts';

/**
 * Every payment appends two order events and three ledger entries: each index on those tables is
 * WAL written per payment, so they keep only the indexes their readers use (migration 0042).
 */
describeEachDatabase('the indexes on order_events and ledger_entries', (kind) => {
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

  it('are the reads by order, by posting and by merchant and account, with no primary key nobody reads', async () => {
    const indexes = await sql<{ table: string; definition: string }>`
      SELECT i.indrelid::regclass::text AS table, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i WHERE i.indrelid IN ('order_events'::regclass, 'ledger_entries'::regclass) ORDER BY 1, 2`.execute(handle.db);
    expect(indexes.rows.map((row) => `${row.table}: ${row.definition.replace(/^.* USING btree /, '')}`)).toEqual([
      'ledger_entries: (merchant_no, account)',
      'ledger_entries: (posting_id)',
      'order_events: (order_no, id)',
    ]);
  });

  it('still number their rows from their sequences and keep their foreign keys', async () => {
    const keys = await sql<{ table: string; target: string }>`
      SELECT conrelid::regclass::text AS table, confrelid::regclass::text AS target FROM pg_constraint
       WHERE contype = 'f' AND conrelid IN ('order_events'::regclass, 'ledger_entries'::regclass) AND conparentid = 0 ORDER BY 1`.execute(handle.db);
    expect(keys.rows).toEqual([
      { table: 'ledger_entries', target: 'ledger_postings' },
      { table: 'order_events', target: 'order_keys' },
    ]);
  });
});
