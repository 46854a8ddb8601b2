import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.ts';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Serialises migrations of several processes starting at once: pg_advisory_xact_lock's key. */
const MIGRATION_LOCK = 7_141_501_400_014;

/**
 * Brings the schema up to date. Safe to run from several processes at once: everything happens
 * in one transaction that first takes a transaction-level advisory lock. Kysely's own lock is
 * session-level, taken before its transaction: behind pgbouncer in transaction mode the lock, the
 * migrations and the unlock could each land on another server connection and the lock would be
 * left held. Inside one transaction they all run on one server session whatever is in between.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return db.connection().execute(async (connection) => {
    await sql`BEGIN`.execute(connection);
    try {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(connection);
      // In the transaction already: Kysely must not start one of its own.
      const migrator = new Migrator({ db: connection, provider, disableTransactions: true });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error;
      await sql`COMMIT`.execute(connection);
      return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => {});
      throw error;
    }
  });
}

/** True when every known migration has run: what /readyz reports. */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.every((migration) => migration.executedAt !== undefined);
}
