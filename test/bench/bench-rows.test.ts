import { describe, expect, it } from 'vitest';
import { freshDatabase as freshTestDatabase } from '../support/test-gateway.ts';
import { benchDatabase, type BenchDatabase, type DatabaseKind } from '../../bench/databases.ts';
import { startGateway } from '../../bench/gateway.ts';
import { runLoad } from '../../bench/load.ts';
import { measureNotifyLag } from '../../bench/notify-lag.ts';
import { checkEveryCreateStored } from '../../bench/orders-stored.ts';

/**
 * The rows of `npm run bench` that check something, in short: create-checkout's "every create
 * answered 0000 is an order" on both databases, and notify-lag's "every close is notified".
 */
/** A database as the bench's rows get one, from the suite's PostgreSQL server or its migrated PGlite template. */
async function freshDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  const { handle, dataDir, databaseUrl } = await freshTestDatabase(kind);
  return benchDatabase(kind, handle, dataDir, databaseUrl);
}

describe.each(['postgres', 'pglite'] as const)('npm run bench rows in short [%s]', (kind) => {
  it('create-checkout: every create answered 0000 under load is an order, and the check says so when one is missing', async () => {
    const database = await freshDatabase(kind);
    const gateway = await startGateway(database);
    try {
      const load = await runLoad({ kind: 'create-checkout', baseUrl: gateway.baseUrl, merchant: gateway.merchant, shape: { connections: 4, warmupSeconds: 0, seconds: 1 } });
      expect(load.other).toEqual({});
      expect(load.succeeded).toBeGreaterThan(0);
      const orders = await checkEveryCreateStored(gateway.gateway.context.db, load.succeeded);
      expect(orders).toBeGreaterThanOrEqual(load.succeeded);
      await expect(checkEveryCreateStored(gateway.gateway.context.db, orders + 1)).rejects.toThrow(`${orders + 1} answered 0000 but only ${orders} orders exist`);
    } finally {
      await gateway.close();
      await database.dispose();
    }
  });
});

it('notify-lag: every close is notified to the receiver', async () => {
  const database = await freshDatabase('postgres');
  const gateway = await startGateway(database);
  gateway.gateway.startWorkers();
  try {
    const lag = await measureNotifyLag(gateway.baseUrl, gateway.merchant, 5);
    expect(lag.missing).toBe(0);
    expect(lag.lagsMs).toHaveLength(5);
    expect(lag.directMs).toHaveLength(5);
  } finally {
    await gateway.close();
    await database.dispose();
  }
});
