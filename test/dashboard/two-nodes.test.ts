import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { createLogger } from '../../src/logger.ts';
import { buildGateway, type Gateway } from '../../src/server.ts';
import { freshDatabase } from '../support/test-gateway.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';

/**
 * The session lives in the cookie, signed with a key derived from the master key: a node that
 * never saw the login accepts it, as long as it shares the database and the master key.
 */
describe('dashboard sessions across gateway nodes on one PostgreSQL database', () => {
  const masterKey = randomBytes(32).toString('hex');
  const handles: DatabaseHandle[] = [];
  const dataDirs: string[] = [];
  const nodes: Gateway[] = [];

  beforeAll(async () => {
    const first = await freshDatabase('postgres');
    handles.push(first.handle);
    dataDirs.push(first.dataDir);
    // Nodes A and B share the master key; node C was configured with another one.
    for (const key of [masterKey, masterKey, randomBytes(32).toString('hex')]) {
      const dataDir = nodes.length === 0 ? first.dataDir : fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-dashboard-node-'));
      if (nodes.length > 0) {
        handles.push(await openDatabase({ databaseUrl: first.databaseUrl!, dataDir }));
        dataDirs.push(dataDir);
      }
      const config = loadConfig({ PAYRAIL_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: first.databaseUrl, PAYRAIL_MASTER_KEY: key });
      nodes.push(await buildGateway({ config, database: handles.at(-1)!, logger: createLogger('silent') }));
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const handle of handles) await handle.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts on node B a session started on node A, forms included, and refuses it on a node with another key', async () => {
    const [a, b, c] = nodes as [Gateway, Gateway, Gateway];
    const admin = await createAdmin(a.context.db);
    const onA = new DashboardClient(a.app);
    expect((await onA.logIn(admin.email, admin.password)).status).toBe(303);

    const onB = onA.switchTo(b.app);
    const page = await onB.get('/dashboard/merchants');
    expect(page.status).toBe(200);
    expect(page.html).toContain(admin.email);
    // A form rendered by node B, posted to node A.
    const created = await onB.switchTo(a.app).post('/dashboard/merchants', { name: 'Made on two nodes' });
    expect(created.status).toBe(200);
    expect(created.html).toContain('Merchant created');

    const refused = await onA.switchTo(c.app).get('/dashboard/orders');
    expect(refused.status).toBe(303);
    expect(refused.location).toBe('/dashboard/login');
  });
});
