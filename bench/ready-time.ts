/**
 * `npm run bench:ready`: how long `payrail start` takes to answer /readyz with 200 on the embedded
 * database, on a first start (initdb, migrations, demo merchant) and on restarts of the same folder
 * (what a rolling restart or a failover waits for). Runs bin/payrail.js as an operator would: the
 * compiled gateway in dist/ (built first if src/ changed), or, with PAYRAIL_DEV=1, the sources
 * through tsx, for comparison.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../scripts/build.mjs';
import { freePort } from '../test/support/postgres-server.ts';
import { processMicros } from './cpu.ts';
import { sleep } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESTARTS = Number(process.env.RESTARTS ?? 3);

/**
 * Milliseconds from spawning `payrail start` to its first 200 from /readyz, and the CPU it had used
 * by then (steadier than the wall clock on a busy machine); stops it (SIGTERM) after.
 */
async function timeToReady(dataDir: string): Promise<string> {
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
        if (response.status === 200) return `${Math.round(performance.now() - started)} ms to ready, ${Math.round(processMicros(child.pid!) / 1000)} ms of CPU`;
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

if (process.env.PAYRAIL_DEV !== '1') await buildIfStale();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-ready-'));
try {
  const mode = process.env.PAYRAIL_DEV === '1' ? 'sources through tsx (PAYRAIL_DEV=1)' : 'compiled dist/';
  console.log(`payrail start, ${mode}, embedded database; load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
  console.log(`  first start: ${await timeToReady(dataDir)}`);
  for (let i = 1; i <= RESTARTS; i++) console.log(`  restart ${i}: ${await timeToReady(dataDir)}`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
