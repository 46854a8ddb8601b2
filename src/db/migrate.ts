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
  if (await isExactlyMigrated(db)) return [];
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

/** True when every known migration has run: what /readyz reports (two reads, no lock). */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const recorded = await recordedMigrations(db);
  return recorded !== undefined && Object.keys(migrations).every((name) => recorded.has(name));
}

/**
 * The restart's fast path: two reads instead of the migrator's lock, table checks and transaction.
 * True only when the recorded migrations are exactly the known ones; anything else (a new
 * database, a migration to run, one recorded by a newer version) goes through the migrator.
 */
async function isExactlyMigrated(db: Kysely<any>): Promise<boolean> {
  const recorded = await recordedMigrations(db);
  return recorded !== undefined && recorded.size === Object.keys(migrations).length && [...recorded].every((name) => Object.hasOwn(migrations, name));
}

/** The names of the migrations the database records as run; undefined before the first. */
async function recordedMigrations(db: Kysely<any>): Promise<Set<string> | undefined> {
  const { rows: table } = await sql<{ present: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS present`.execute(db);
  if (!table[0]?.present) return undefined;
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
  return new Set(rows.map((row) => row.name));
}
