/**
 * Time from spawning `payrail start` on the embedded database to its first 200 from /readyz, as an
 * operator runs it (bin/payrail.js: the bundled gateway in dist/, or the sources through tsx with
 * PAYRAIL_DEV=1). `npm run bench:ready` (ready-time.ts) prints each start; `npm run bench` writes
 * the median of three restarts as its `ready-after-restart` row.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../scripts/build.mjs';
import { freePort } from '../test/support/postgres-server.ts';
import { processMicros } from './cpu.ts';
import type { ResultRow } from './results.ts';
import { percentile, sleep } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ReadyTime {
  ms: number;
  /** CPU the process had used by then (steadier than the wall clock on a busy machine). */
  cpuMs: number;
}

/** One start of `payrail start` on `dataDir` until /readyz answers 200; stops it (SIGTERM) after. */
export async function timeToReady(dataDir: string): Promise<ReadyTime> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'payrail.js'), 'start', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`payrail start exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) });
        if (response.status === 200) return { ms: Math.round(performance.now() - started), cpuMs: Math.round(processMicros(child.pid!) / 1000) };
      } catch {}
      await sleep(20);
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

/** A first start on a new folder (initdb, migrations, demo merchant), then `restarts` restarts of it. */
export async function startAndRestart(restarts: number, onStart: (label: string, time: ReadyTime) => void): Promise<ReadyTime[]> {
  if (process.env.PAYRAIL_DEV !== '1') await buildIfStale();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-ready-'));
  try {
    onStart('first start', await timeToReady(dataDir));
    const times: ReadyTime[] = [];
    for (let i = 1; i <= restarts; i++) {
      const time = await timeToReady(dataDir);
      onStart(`restart ${i}`, time);
      times.push(time);
    }
    return times;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `npm run bench`'s row: the median of three restarts, wall clock and CPU. */
export async function readyAfterRestart(log: (line: string) => void): Promise<ResultRow> {
  const times = await startAndRestart(3, (label, time) => log(`  ${label}: ${time.ms} ms, ${time.cpuMs} ms of CPU`));
  return { name: 'ready-after-restart', db: 'pglite', ms: percentile(times.map((time) => time.ms), 50), cpu_ms: percentile(times.map((time) => time.cpuMs), 50) };
}
