/**
 * `npm run bench:ready`: how long `payrail start` takes to answer /readyz with 200 on the embedded
 * database, on a first start (initdb, migrations, demo merchant) and on restarts of the same folder
 * (what a rolling restart or a failover waits for). Runs bin/payrail.js as an operator would: the
 * gateway bundled in dist/cli.js (built first if src/ changed), or, with PAYRAIL_DEV=1, the sources
 * through tsx, for comparison.
 */
import os from 'node:os';
import { startAndRestart } from './ready.ts';

const RESTARTS = Number(process.env.RESTARTS ?? 3);
const mode = process.env.PAYRAIL_DEV === '1' ? 'sources through tsx (PAYRAIL_DEV=1)' : 'bundled dist/cli.js';
console.log(`payrail start, ${mode}, embedded database; load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
await startAndRestart(RESTARTS, (label, time) => console.log(`  ${label}: ${time.ms} ms to ready, ${time.cpuMs} ms of CPU`));
