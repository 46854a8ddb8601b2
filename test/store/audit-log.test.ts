import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ALL_MERCHANTS, oneMerchant } from '../../src/domain/console-scope.ts';
import { listAudit, recordAudit, type AuditEntry } from '../../src/store/console/audit-log.ts';
import { describeEachDatabase, freshDatabase } from '../support/test-gateway.ts';

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  actorId: 1,
  actorEmail: 'ops@example.com',
  actorRole: 'operator',
  merchantNo: null,
  ip: '127.0.0.1',
  action: 'login',
  target: null,
  outcome: 'ok',
  ...overrides,
});

describeEachDatabase('the audit log', (kind) => {
  let handle: DatabaseHandle;
  let dataDir: string;
  beforeAll(async () => {
    ({ handle, dataDir } = await freshDatabase(kind));
    await migrateToLatest(handle.db);
    const at = new Date('2026-11-30T10:00:00Z');
    await recordAudit(handle.db, entry({ action: 'login' }), at);
    await recordAudit(handle.db, entry({ action: 'merchant.update', merchantNo: 'M100', target: 'M100', before: { feeBps: 250 }, after: { feeBps: 300 } }), at);
    await recordAudit(handle.db, entry({ action: 'order.refund', merchantNo: 'M200', target: 'abc' }), at);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists newest first, and a merchant scope sees only its merchant rows', async () => {
    const all = await listAudit(handle.db, ALL_MERCHANTS, { limit: 10 });
    expect(all.map((row) => row.action)).toEqual(['order.refund', 'merchant.update', 'login']);
    const own = await listAudit(handle.db, oneMerchant('M100'), { limit: 10 });
    expect(own.map((row) => row.action)).toEqual(['merchant.update']);
    expect(own[0]).toMatchObject({ before: { feeBps: 250 }, after: { feeBps: 300 } });
  });

  it('refuses to change, delete or truncate a row, whoever asks', async () => {
    await expect(sql`UPDATE audit_log SET action = 'nothing'`.execute(handle.db)).rejects.toThrow(/never changed or removed/);
    await expect(sql`DELETE FROM audit_log`.execute(handle.db)).rejects.toThrow(/never changed or removed/);
    await expect(sql`TRUNCATE audit_log`.execute(handle.db)).rejects.toThrow(/never changed or removed/);
    expect(await listAudit(handle.db, ALL_MERCHANTS, { limit: 10 })).toHaveLength(3);
  });
});
