import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { DatabaseFormatError, EMBEDDED_POSTGRES_MAJOR, openDatabase } from '../../src/db/connect.ts';

/** A folder written by PGlite 0.4 (PostgreSQL 17) must be refused, untouched, not opened by PGlite 0.5. */
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function olderFolder(): { dataDir: string; pgdata: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-format-'));
  folders.push(dataDir);
  const pgdata = path.join(dataDir, 'pgdata');
  fs.mkdirSync(path.join(pgdata, 'base'), { recursive: true });
  fs.writeFileSync(path.join(pgdata, 'PG_VERSION'), '17\n');
  fs.writeFileSync(path.join(pgdata, 'base', 'marker'), 'data of the older format');
  return { dataDir, pgdata };
}

const listing = (folder: string) =>
  (fs.readdirSync(folder, { recursive: true }) as string[])
    .sort()
    .map((name) => [name, fs.statSync(path.join(folder, name)).isFile() ? fs.readFileSync(path.join(folder, name), 'utf8') : 'dir']);

it('refuses an embedded database folder of an older data format with a message naming the folder, and leaves it untouched', async () => {
  const { dataDir, pgdata } = olderFolder();
  const before = listing(pgdata);
  const opening = openDatabase({ dataDir });
  await expect(opening).rejects.toBeInstanceOf(DatabaseFormatError);
  await expect(opening).rejects.toThrow(`${pgdata} is in the PostgreSQL 17 data format`);
  expect(listing(pgdata)).toEqual(before);
  // The folder lock is released: a second try gets the same answer, not "in use".
  await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseFormatError);
});

it('opens a folder of the current format', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-format-'));
  folders.push(dataDir);
  fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
  expect(fs.readFileSync(path.join(dataDir, 'pgdata', 'PG_VERSION'), 'utf8').trim()).toBe(EMBEDDED_POSTGRES_MAJOR);
  const opened = await openDatabase({ dataDir });
  await opened.close();
}, 60_000);
