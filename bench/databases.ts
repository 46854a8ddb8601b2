import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/connect.ts';
import type { PostgresServer } from '../test/support/postgres-server.ts';

export type DatabaseKind = 'postgres' | 'pglite';

/** A fresh, empty database and a data folder of its own; dispose() closes both and removes the folder. */
export interface BenchDatabase {
  readonly kind: DatabaseKind;
  readonly handle: DatabaseHandle;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

/**
 * Opens a new database through the gateway's own driver code (src/db/connect.ts): a pg Pool of
 * 10 on the bench's PostgreSQL server, or PGlite in a temporary folder.
 */
export async function freshDatabase(kind: DatabaseKind, server: Pick<PostgresServer, 'url'> | undefined): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-bench-'));
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    if (!server) throw new Error('a postgres database needs the PostgreSQL server');
    const name = `bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = server.url(name);
  }
  return benchDatabase(kind, await openDatabase({ databaseUrl, dataDir }), dataDir, databaseUrl);
}

/** An open database as the bench holds it; dispose() closes it and removes its data folder. */
export function benchDatabase(kind: DatabaseKind, handle: DatabaseHandle, dataDir: string, databaseUrl: string | undefined): BenchDatabase {
  return {
    kind,
    handle,
    dataDir,
    databaseUrl,
    async dispose() {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
