/**
 * `npm run bench`: every figure of bench/results.json (its shape is described in docs/benchmark.md) from one
 * invocation on this machine, then a table on stdout. docs/benchmark.md says what each row means.
 */
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.ts';
import { freshDatabase, type DatabaseKind } from './databases.ts';
import { startFloorServer } from './floor.ts';
import { startGateway } from './gateway.ts';
import { runLoad } from './load.ts';
import { measureNotifyLag } from './notify-lag.ts';
import { weighCashierPage } from './cashier-page.ts';
import { formatTable, type CpuPerRequest, type ResultRow, type Results } from './results.ts';
import type { LoadShape } from './hammer.ts';
import { ms, percentile } from './stats.ts';
import { openCpuWindow, postgresPids, type CpuWindow } from './cpu.ts';
import { comparePayPath, formatPayPath } from './pay-path.ts';
import { checkEveryCreateStored } from './orders-stored.ts';
import { readyAfterRestart } from './ready.ts';

/** Tuned for a 2-core machine: see docs/benchmark.md, "Choices". */
const HAMMER: LoadShape = { connections: 50, warmupSeconds: 3, seconds: 10 };
const FLOW = { customers: 16, warmupSeconds: 2, seconds: 15 };
const NOTIFY_SAMPLES = 300;

const log = (message: string) => console.error(`[bench] ${message}`);

/**
 * A CPU window opened when the load's measured window opens: this process (the server under
 * test, and PGlite when it is the database) and, on PostgreSQL, the server's processes.
 */
function cpuMeter(server: PostgresServer | undefined) {
  let window: Promise<CpuWindow> | undefined;
  return {
    open: () => {
      window = (server ? postgresPids(server.url()) : Promise.resolve([])).then(openCpuWindow);
    },
    async perRequest(requests: number, loadCpuUs?: number): Promise<CpuPerRequest | undefined> {
      if (!window || requests === 0) return undefined;
      const used = (await window).end();
      const per = (us: number) => Math.round(us / requests);
      return {
        gateway: per(used.ownUs),
        ...(server ? { database: per(used.databaseUs) } : {}),
        ...(loadCpuUs !== undefined ? { load: per(loadCpuUs) } : {}),
      };
    },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

async function floorInsert(kind: DatabaseKind, server: PostgresServer | undefined): Promise<ResultRow> {
  log(`floor-insert on ${kind}`);
  const database = await freshDatabase(kind, server);
  try {
    const floor = await startFloorServer(database.handle);
    try {
      const cpu = cpuMeter(server);
      const load = await runLoad({ kind: 'floor', url: floor.url, shape: HAMMER }, cpu.open);
      const cpuPerRequest = await cpu.perRequest(load.succeeded, load.loadCpuUs);
      const rows = {
        name: 'floor-insert',
        db: kind,
        rps: Math.round(load.succeeded / load.seconds),
        p50_ms: ms(load.p50Ms),
        p99_ms: ms(load.p99Ms),
        ...(cpuPerRequest ? { cpu_us_per_request: cpuPerRequest } : {}),
      } as const;
      return load.other > 0 ? { ...rows, non_success: { 'non-2xx': load.other } } : rows;
    } finally {
      await floor.close();
    }
  } finally {
    await database.dispose();
  }
}

async function createCheckout(kind: DatabaseKind, server: PostgresServer | undefined, page: ResultRow[], floor: ResultRow): Promise<ResultRow> {
  log(`create-checkout on ${kind}`);
  const database = await freshDatabase(kind, server);
  const gateway = await startGateway(database);
  try {
    const cpu = cpuMeter(server);
    const load = await runLoad({ kind: 'create-checkout', baseUrl: gateway.baseUrl, merchant: gateway.merchant, shape: HAMMER }, cpu.open);
    const cpuPerRequest = await cpu.perRequest(load.succeeded, load.loadCpuUs);
    await checkEveryCreateStored(gateway.gateway.context.db, load.succeeded);
    if (kind === 'postgres') {
      log('cashier-page');
      const weight = await weighCashierPage(gateway.baseUrl, gateway.merchant);
      log(`  ${weight.urls.join(', ')}`);
      page.push({ name: 'cashier-page', bytes: weight.bytes, requests: weight.requests, third_party_requests: weight.thirdPartyRequests });
    }
    const rps = Math.round(load.succeeded / load.seconds);
    const p99 = ms(load.p99Ms);
    const floorRow = floor as Extract<ResultRow, { rps: number }>;
    const row = {
      name: 'create-checkout',
      db: kind,
      rps,
      p50_ms: ms(load.p50Ms),
      p99_ms: p99,
      ...(cpuPerRequest ? { cpu_us_per_request: cpuPerRequest } : {}),
      vs_floor: { rps: round2(rps / floorRow.rps), p99: round2(p99 / floorRow.p99_ms) },
    } as const;
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
    const cpu = cpuMeter(server);
    const flow = await runLoad({ kind: 'payment-flow', baseUrl: gateway.baseUrl, merchant: gateway.merchant, options: FLOW }, cpu.open);
    const cpuPerPayment = await cpu.perRequest(flow.paid);
    if (flow.failed > 0) log(`  ${flow.failed} payments failed, e.g. ${flow.failures.join('; ')}`);
    return {
      name: 'payment-flow',
      db: 'postgres',
      pps: Math.round((flow.paid / flow.seconds) * 10) / 10,
      p50_ms: ms(percentile(flow.durationsMs, 50)),
      p99_ms: ms(percentile(flow.durationsMs, 99)),
      ...(cpuPerPayment ? { cpu_us_per_payment: cpuPerPayment } : {}),
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
    const cpu = cpuMeter(server);
    cpu.open();
    const lag = await measureNotifyLag(gateway.baseUrl, gateway.merchant, NOTIFY_SAMPLES);
    const cpuPerOrder = await cpu.perRequest(NOTIFY_SAMPLES);
    if (lag.missing > 0) log(`  ${lag.missing} notifications did not arrive within 5 s`);
    log(`  lag max ${ms(Math.max(...lag.lagsMs))} ms, min ${ms(Math.min(...lag.lagsMs))} ms`);
    return {
      name: 'notify-lag',
      db: 'postgres',
      p50_ms: ms(percentile(lag.lagsMs, 50)),
      p99_ms: ms(percentile(lag.lagsMs, 99)),
      direct_post_p50_ms: ms(percentile(lag.directMs, 50)),
      direct_post_p99_ms: ms(percentile(lag.directMs, 99)),
      ...(cpuPerOrder ? { cpu_us_per_order: cpuPerOrder } : {}),
    };
  } finally {
    await gateway.close();
    await database.dispose();
  }
}

let loadAtStart = '';

function machineNote(server: PostgresServer): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  let postgres = 'PostgreSQL';
  try {
    postgres = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim().replace(/^psql \(PostgreSQL\) /, 'PostgreSQL ');
  } catch {}
  return (
    `${cpu}; ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${postgres} on 127.0.0.1:${server.port} (fsync on), PGlite in-process; ` +
    `autocannon ${HAMMER.connections} connections, ${HAMMER.warmupSeconds} s warm-up + ${HAMMER.seconds} s, in a separate process on the same machine; ` +
    `payment-flow ${FLOW.customers} customers for ${FLOW.seconds} s; notify-lag ${NOTIFY_SAMPLES} closes one at a time; ` +
    `load average at start ${loadAtStart}, at end ${os.loadavg().map((value) => value.toFixed(2)).join(', ')}`
  );
}

async function main() {
  const started = Date.now();
  const when = new Date().toISOString();
  loadAtStart = os.loadavg().map((value) => value.toFixed(2)).join(', ');
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
    const postgresFloor = await floorInsert('postgres', server);
    results.push(postgresFloor, await createCheckout('postgres', server, page, postgresFloor));
    const pgliteFloor = await floorInsert('pglite', undefined);
    results.push(pgliteFloor, await createCheckout('pglite', undefined, page, pgliteFloor));
    // `npm run bench -- --checkout-only`: the floors and create-checkout, printed, nothing written.
    const checkoutOnly = process.argv.includes('--checkout-only');
    let payPath = '';
    if (!checkoutOnly) {
      results.push(await paymentFlow(server));
      results.push(await notifyLag(server));
      log('ready-after-restart on pglite');
      results.push(await readyAfterRestart(log));
      payPath = formatPayPath(await comparePayPath(server));
    }
    results.push(...page);

    const output: Results = { when, machine: { cpus: os.cpus().length, node: process.version, note: machineNote(server) }, results };
    if (!checkoutOnly) fs.writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
    console.log(formatTable(output));
    if (payPath) console.log(`\n${payPath}`);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s${checkoutOnly ? '' : '; wrote bench/results.json'}`);
  } finally {
    await stopServer();
  }
}

await main();
