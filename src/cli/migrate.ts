import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** `payrail migrate`: the database schema brought up to date. */
export function addMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const config = loadConfig();
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
      const applied = await migrateToLatest(handle.db);
      await handle.close();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    });
}
