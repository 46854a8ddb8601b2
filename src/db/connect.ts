import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.ts';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8 = 20;
// bigint columns hold cents and ids far below 2^53: each driver reads them as numbers, not strings.
const readInt8 = (value: string) => Number(value);
const serverTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? readInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

/** A PostgreSQL server when `databaseUrl` is set, the embedded PGlite in `dataDir/pgdata` otherwise. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openServer(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded(path.join(options.dataDir, 'pgdata'));
}

function openServer(connectionString: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max, types: serverTypes });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * PGlite takes no lock on its folder and two processes on one folder corrupt it silently,
 * so the folder is locked for as long as this process holds it open.
 */
async function openEmbedded(folder: string): Promise<DatabaseHandle> {
  fs.mkdirSync(folder, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, {
      lockfilePath: `${folder}.lock`,
      // A live holder refreshes the lock every 1.5 s; one killed with SIGKILL leaves it stale after 5 s,
      // which the retries wait out, so a restart after a crash just works.
      stale: 5_000,
      update: 1_500,
      retries: { retries: 7, minTimeout: 1_000, maxTimeout: 1_000 },
      onCompromised: (error) => {
        console.error(`embedded database lock lost, stopping: ${error.message}`);
        process.exit(1);
      },
    });
  } catch {
    throw new DatabaseLockedError(
      `the embedded database in ${folder} is in use by another Payrail process; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
    );
  }
  const client = new PGlite({ dataDir: folder, parsers: { [INT8]: readInt8 } });
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await release();
    },
  };
}
