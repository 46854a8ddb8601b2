/**
 * `npm run chaos`: gateway processes on one database, paying through the HTTP acquirer simulator
 * with dropped answers and 5xx, for a `family` and an `extended` merchant, while processes are
 * killed with SIGKILL and restarted; then it checks that no order was lost, no card charged or
 * paid out twice, every final status told to its merchant as its status set says (with its
 * notifyId), the ledger balanced, and no card data stored or logged (bench/chaos/run-chaos.ts).
 * The last line on stdout is one JSON object (docs/benchmark.md); exit 0 only when all hold.
 * Options: --db=postgres|pglite (postgres), --cycles=N (20), --nodes=N (2; PGlite: 1),
 * --customers=N (8), --cycle-ms=N (2500), --settle-ms=N (120000), --seed=N.
 */
import { runChaos } from './chaos/run-chaos.ts';

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const number = (name: string, fallback: number) => Number(args.get(name) ?? fallback);
const db = args.get('db') ?? 'postgres';
if (db !== 'postgres' && db !== 'pglite') {
  console.error(`--db must be postgres or pglite, not ${db}`);
  process.exit(2);
}

try {
  const report = await runChaos({
    db,
    cycles: number('cycles', 20),
    nodes: number('nodes', 2),
    customers: number('customers', 8),
    cycleMs: number('cycle-ms', 2_500),
    settleMs: number('settle-ms', 120_000),
    seed: number('seed', Date.now() % 100_000),
    log: (message) => process.stderr.write(`[chaos] ${message}\n`),
  });
  console.log(JSON.stringify(report.result));
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  console.error(error);
  process.exit(2);
}
