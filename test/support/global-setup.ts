import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildIfStale } from '../../scripts/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
  }
}

/**
 * The compiled gateway (dist/) that every spawned `payrail` runs, rebuilt first when src/ has changed
 * since it was built (`npm ci` builds it as `prepare`, so CI finds it fresh). One PostgreSQL
 * server for the whole run (each test file gets its own database in it), and one migrated PGlite folder that test files copy instead of paying for initdb each time.
 */
export default async function setup(project: TestProject) {
  await buildIfStale();
  const server = await startPostgres();
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-pglite-template-'));
  const handle = await openDatabase({ dataDir: template });
  await migrateToLatest(handle.db);
  await handle.close();

  project.provide('postgresUrl', server.url());
  project.provide('pgliteTemplate', template);
  return async () => {
    await server.stop();
    fs.rmSync(template, { recursive: true, force: true });
  };
}
