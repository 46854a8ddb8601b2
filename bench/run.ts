/**
 * `npm run bench`: every figure of bench/results.json (its shape is described in docs/benchmark.md) from one
 * invocation on this machine, then a table on stdout. docs/benchmark.md says what each row means.
 */
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.ts';
import { freshDatabase, type DatabaseKind } from './databases.ts';
import { startFloorServer } from './floor.ts';
import { startGateway } from './gateway.ts';
import { runLoad } from './load.ts';
import { measureNotifyLag } from './notify-lag.ts';
import { weighCashierPage } from './cashier-page.ts';
import { formatTable, type ResultRow, type Results } from './results.ts';
import type { LoadShape } from './hammer.ts';
import { ms, percentile } from './stats.ts';

/** Tuned for a 2-core machine: see docs/benchmark.md, "Choices". */
const HAMMER: LoadShape = { connections: 32, warmupSeconds: 2, seconds: 10 };
const FLOW = { customers: 16, warmupSeconds: 2, seconds: 15 };
const NOTIFY_SAMPLES = 300;

const log = (message: string) => console.error(`[bench] ${message}`);

async function floorInsert(kind: DatabaseKind, server: PostgresServer | undefined): Promise<ResultRow> {
  log(`floor-insert on ${kind}`);
  const database = await freshDatabase(kind, server);
  try {
    const floor = await startFloorServer(database.handle);
    try {
      const load = await runLoad({ kind: 'floor', url: floor.url, shape: HAMMER });
      const rows = { name: 'floor-insert', db: kind, rps: Math.round(load.succeeded / load.seconds), p50_ms: ms(load.p50Ms), p99_ms: ms(load.p99Ms) } as const;
      return load.other > 0 ? { ...rows, non_success: { 'non-2xx': load.other } } : rows;
    } finally {
      await floor.close();
    }
  } finally {
    await database.dispose();
  }
}

async function createCheckout(kind: DatabaseKind, server: PostgresServer | undefined, page: ResultRow[]): Promise<ResultRow> {
  log(`create-checkout on ${kind}`);
  const database = await freshDatabase(kind, server);
  const gateway = await startGateway(database);
  try {
    const load = await runLoad({ kind: 'create-checkout', baseUrl: gateway.baseUrl, merchant: gateway.merchant, shape: HAMMER });
    const orders = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM orders`.execute(gateway.gateway.context.db)).rows[0]!.n;
    if (orders < load.succeeded) throw new Error(`create-checkout: ${load.succeeded} answered 0000 but only ${orders} orders exist`);
    if (kind === 'postgres') {
      log('cashier-page');
      const weight = await weighCashierPage(gateway.baseUrl, gateway.merchant);
      log(`  ${weight.urls.join(', ')}`);
      page.push({ name: 'cashier-page', bytes: weight.bytes, requests: weight.requests, third_party_requests: weight.thirdPartyRequests });
    }
    const row = { name: 'create-checkout', db: kind, rps: Math.round(load.succeeded / load.seconds), p50_ms: ms(load.p50Ms), p99_ms: ms(load.p99Ms) } as const;
    return Object.keys(load.other).length > 0 ? { ...row, non_success: load.other } : row;
  } finally {
    await gateway.close();
    await database.dispose();
  }
}

async function paymentFlow(server: PostgresServer): Promise<ResultRow> {
  log(`payment-flow on postgres, ${FLOW.customers} customers`);
  const database = await freshDatabase('postgres', server);
  const gateway = await startGateway(database);
  try {
    const flow = await runLoad({ kind: 'payment-flow', baseUrl: gateway.baseUrl, merchant: gateway.merchant, options: FLOW });
    if (flow.failed > 0) log(`  ${flow.failed} payments failed, e.g. ${flow.failures.join('; ')}`);
    return {
      name: 'payment-flow',
      db: 'postgres',
      pps: Math.round((flow.paid / flow.seconds) * 10) / 10,
      p50_ms: ms(percentile(flow.durationsMs, 50)),
      p99_ms: ms(percentile(flow.durationsMs, 99)),
    };
  } finally {
    await gateway.close();
    await database.dispose();
  }
}

async function notifyLag(server: PostgresServer): Promise<ResultRow> {
  log(`notify-lag on postgres, ${NOTIFY_SAMPLES} closes`);
  const database = await freshDatabase('postgres', server);
  const gateway = await startGateway(database);
  gateway.gateway.startWorkers();
  try {
    const lag = await measureNotifyLag(gateway.baseUrl, gateway.merchant, NOTIFY_SAMPLES);
    if (lag.missing > 0) log(`  ${lag.missing} notifications did not arrive within 5 s`);
    log(`  lag max ${ms(Math.max(...lag.lagsMs))} ms, min ${ms(Math.min(...lag.lagsMs))} ms`);
    return {
      name: 'notify-lag',
      db: 'postgres',
      p50_ms: ms(percentile(lag.lagsMs, 50)),
      p99_ms: ms(percentile(lag.lagsMs, 99)),
      direct_post_p50_ms: ms(percentile(lag.directMs, 50)),
      direct_post_p99_ms: ms(percentile(lag.directMs, 99)),
    };
  } finally {
    await gateway.close();
    await database.dispose();
  }
}

function machineNote(server: PostgresServer): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  let postgres = 'PostgreSQL';
  try {
    postgres = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim().replace(/^psql \(PostgreSQL\) /, 'PostgreSQL ');
  } catch {}
  return (
    `${cpu}; ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${postgres} on 127.0.0.1:${server.port} (fsync on), PGlite in-process; ` +
    `autocannon ${HAMMER.connections} connections, ${HAMMER.warmupSeconds} s warm-up + ${HAMMER.seconds} s, in a separate process on the same machine; ` +
    `payment-flow ${FLOW.customers} customers for ${FLOW.seconds} s; notify-lag ${NOTIFY_SAMPLES} closes one at a time`
  );
}

async function main() {
  const started = Date.now();
  const when = new Date().toISOString();
  log('starting PostgreSQL');
  const server = await startPostgres();
  const stopServer = () => server.stop();
  const interrupted = () => {
    stopServer().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const page: ResultRow[] = [];
    const results: ResultRow[] = [];
    results.push(await floorInsert('postgres', server));
    results.push(await createCheckout('postgres', server, page));
    results.push(await floorInsert('pglite', undefined));
    results.push(await createCheckout('pglite', undefined, page));
    results.push(await paymentFlow(server));
    results.push(await notifyLag(server));
    results.push(...page);

    const output: Results = { when, machine: { cpus: os.cpus().length, node: process.version, note: machineNote(server) }, results };
    fs.writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
    console.log(formatTable(output));
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote bench/results.json`);
  } finally {
    await stopServer();
  }
}

await main();
