import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { luhnValid } from '../../src/domain/card.ts';
import type { DatabaseKind, TestGateway } from './test-gateway.ts';

/** A Visa number no other test uses, so that finding it on disk can only mean this test leaked it. */
export function uniqueVisa(): string {
  for (;;) {
    const body = `4${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
    for (let check = 0; check < 10; check++) if (luhnValid(body + check)) return body + check;
  }
}

/** Every file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && fs.readFileSync(file).includes(bytes)) found.push(file);
    }
  };
  walk(dir);
  return found;
}

/**
 * The folder holding the gateway's database files, with everything written so far in them (heap,
 * indexes, WAL): on PostgreSQL after a CHECKPOINT, on PGlite after the gateway is closed (then
 * `closed` is true and the caller's `t.close()` may fail, having nothing left to close).
 */
export async function dataFilesOf(t: TestGateway, kind: DatabaseKind): Promise<{ dataDir: string; closed: boolean }> {
  if (kind === 'pglite') {
    await t.gateway.close();
    return { dataDir: t.dataDir, closed: true };
  }
  // A checkpoint of the suite's shared server can outlast the gateway's statement and client read
  // timeouts on a busy machine, so it runs on a connection of its own, without either.
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  let dataDir: string;
  try {
    await admin.query('CHECKPOINT');
    dataDir = (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  } finally {
    await admin.end();
  }
  return { dataDir, closed: false };
}
