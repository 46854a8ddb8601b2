import { loadConfig, type Config } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Opens the configured database, migrated, for one CLI command, and closes it after. */
export async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db'], config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db, config);
  } finally {
    await handle.close();
  }
}
