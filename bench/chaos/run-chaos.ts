import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadMasterKey } from '../../src/secrets/master-key.ts';
import { createMerchant } from '../../src/store/merchants.ts';
import { OrderStatus, STATUS_SETS, type StatusSet } from '../../src/domain/order-status.ts';
import { PayoutStatusCode } from '../../src/domain/payout-status.ts';
import { startAcquirerSimServer } from '../../src/acquirer-sim/server.ts';
import { freePort, startPostgres, type PostgresServer } from '../../test/support/postgres-server.ts';
import type { DatabaseKind } from '../databases.ts';
import { attemptOrders, ledgerProblems, makeOpenOrdersDue, readStored, rowsMatching } from './audit.ts';
import { customer, SENTINEL_CVC, SENTINEL_PAN, type Traffic } from './customers.ts';
import { startMerchantEndpoint, type ChaosMerchant } from './merchant-endpoint.ts';
import { findUndelivered, type Undelivered } from './undelivered.ts';
import { sleep } from '../stats.ts';

export interface ChaosOptions {
  db: DatabaseKind;
  cycles: number;
  /** Gateway processes at once; PGlite allows one (its folder lock). */
  nodes: number;
  customers: number;
  /** Mean time between kills. */
  cycleMs: number;
  seed: number;
  /** How long the nodes get, after the load, to end every order and deliver every notification. */
  settleMs: number;
  /** A PostgreSQL server to make the run's database in; otherwise one is started and stopped. */
  postgresUrl?: string;
  /** A migrated PGlite folder (its pgdata) to start from instead of an empty one. */
  pgliteTemplate?: string;
  log: (message: string) => void;
}

/** The last line of `npm run chaos` (docs/benchmark.md). */
export interface ChaosResult {
  db: DatabaseKind;
  cycles: number;
  orders: number;
  paid: number;
  refunds: number;
  payouts: number;
  lost: number;
  doubled: number;
  charged_not_paid: number;
  payouts_paid_twice: number;
  undelivered: number;
  ledger_ok: boolean;
  card_data_found: number;
  seed: number;
}

export interface ChaosReport {
  result: ChaosResult;
  ok: boolean;
  /** How the orders ended, by their merchant's status set and stored status: both sets' endings were checked. */
  endings: Record<StatusSet, Partial<Record<OrderStatus, number>>>;
  /** Every event counted in `undelivered`, with why. */
  undelivered: Undelivered[];
  ledgerProblems: string[];
}

const MASTER_KEY = 'ab'.repeat(32);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/payrail.js');
const QUIET_MS = 4_000;

interface Node {
  index: number;
  port: number;
  url: string;
  process?: ChildProcess;
}

const alive = (child: ChildProcess | undefined) => child !== undefined && child.exitCode === null && child.signalCode === null;
const signal = (child: ChildProcess | undefined, name: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (!alive(child)) return resolve();
    child!.once('exit', () => resolve());
    child!.kill(name);
  });

/**
 * Gateway processes on one database, paying through the HTTP acquirer simulator (dropped answers,
 * 5xx), for a `family` and an `extended` merchant at once, while a node is killed with SIGKILL
 * and restarted every cycle. Then every open order is made due, the nodes settle, and the
 * database is audited: nothing lost or charged twice, every final status told to its merchant as
 * its status set says, the ledger balanced, no card data at rest or in a log.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = Date.now();
  const log = (message: string) => options.log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${message}`);
  let random = options.seed;
  const rand = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const nodeCount = options.db === 'pglite' ? 1 : options.nodes;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-chaos-'));
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => fs.rmSync(work, { recursive: true, force: true })];
  const nodes: Node[] = [];
  try {
    let databaseUrl: string | undefined;
    if (options.db === 'postgres') {
      let serverUrl = options.postgresUrl;
      if (!serverUrl) {
        const server: PostgresServer = await startPostgres();
        cleanups.unshift(() => server.stop());
        serverUrl = server.url();
      }
      const name = `chaos_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    } else if (options.pgliteTemplate) {
      fs.cpSync(path.join(options.pgliteTemplate, 'pgdata'), path.join(work, 'shared', 'pgdata'), { recursive: true });
    }
    // PGlite lives in its one node's folder; on PostgreSQL each node has a folder of its own.
    const dataDir = (name: string) => path.join(work, databaseUrl ? name : 'shared');
    const openAudit = (): Promise<DatabaseHandle> => openDatabase({ databaseUrl, dataDir: dataDir('audit') });

    const acquirer = await startAcquirerSimServer({ dropRate: 0.05, failureRate5xx: 0.05, seed: options.seed, simulator: { timeoutDelayMs: 200 } });
    cleanups.unshift(() => acquirer.close());
    const env = (dir: string, port: number): NodeJS.ProcessEnv => withDatabase(databaseUrl, {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PAYRAIL_ENV: 'test',
      PAYRAIL_MASTER_KEY: MASTER_KEY,
      ACQUIRER: 'http',
      ACQUIRER_URL: acquirer.url,
      ACQUIRER_TIMEOUT_MS: '1500',
      NOTIFY_SCHEDULE: '200ms,500ms,1s,1s,2s,2s,3s,3s',
      NOTIFY_TIMEOUT_MS: '1000',
      ORDER_TTL_MINUTES: '30',
      // Every payment comes from 127.0.0.1 with a handful of cards: the card-testing caps would
      // refuse nearly all of them after the first declines.
      CARD_DECLINES_PER_DAY: '1000000000',
      IP_DECLINES_PER_HOUR: '1000000000',
      // Paid orders settle at the nodes' next start, so payouts have a balance to draw on.
      SETTLEMENT_DELAY_HOURS: '0',
      LOG_LEVEL: 'info',
    });
    // The merchants, one per status set, through the gateway's own migrations and store.
    const setup = await openAudit();
    const merchants: ChaosMerchant[] = [];
    try {
      await migrateToLatest(setup.db);
      for (const statusSet of STATUS_SETS) {
        const created = await createMerchant(setup.db, loadMasterKey(MASTER_KEY, dataDir('audit')), { name: `Chaos ${statusSet}`, rateLimitPerSecond: 100_000, statusSet });
        merchants.push({ ...created, statusSet });
      }
    } finally {
      await setup.close();
    }
    const endpoint = await startMerchantEndpoint(merchants, { failRate: 0.1, random: rand });
    cleanups.unshift(() => endpoint.close());

    for (let index = 0; index < nodeCount; index++) {
      const port = await freePort();
      nodes.push({ index, port, url: `http://127.0.0.1:${port}` });
    }
    const start = async (node: Node) => {
      const logFile = fs.openSync(path.join(work, `node-${node.index}.log`), 'a');
      node.process = spawn(process.execPath, [BIN, 'start', '--workers', '4'], { env: env(dataDir(`node-${node.index}`), node.port), stdio: ['ignore', logFile, logFile] });
      fs.closeSync(logFile);
      // PGlite waits out the killed node's lock (stale after 5 s) before it opens.
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
        if (!alive(node.process)) throw new Error(`node ${node.index} exited while starting; see its log`);
        try {
          if ((await fetch(`${node.url}/readyz`)).ok) return;
        } catch {}
      }
      throw new Error(`node ${node.index} did not become ready`);
    };
    const killAll = () => Promise.all(nodes.map((node) => signal(node.process, 'SIGKILL')));
    cleanups.unshift(killAll);
    await Promise.all(nodes.map(start));
    log(`${nodeCount} node(s) ready on ${options.db}`);

    const traffic: Traffic = { orders: new Set(), awaited: new Set() };
    let running = true;
    const customerOptions = {
      nodeUrl: () => nodes[Math.floor(rand() * nodes.length)]!.url,
      merchants,
      notifyUrl: endpoint.notifyUrl,
      random: rand,
      running: () => running,
    };
    const load = Array.from({ length: options.customers }, () => customer(customerOptions, traffic));
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      await sleep(options.cycleMs * (0.5 + rand()));
      const victim = nodes[Math.floor(rand() * nodes.length)]!;
      await signal(victim.process, 'SIGKILL');
      log(`cycle ${cycle}/${options.cycles}: killed node ${victim.index} (orders so far ${traffic.orders.size})`);
      await start(victim);
    }
    running = false;
    await Promise.all(load);

    // Every open order due, so the nodes' own sweeps end them. PGlite is one process's: its node
    // stops (SIGTERM, so the next start need not wait out a killed node's lock) while the orders change.
    if (!databaseUrl) await Promise.all(nodes.map((node) => signal(node.process, 'SIGTERM')));
    const due = await openAudit();
    await makeOpenOrdersDue(due.db);
    await due.close();
    if (!databaseUrl) await Promise.all(nodes.map(start));
    log(`settling: ${traffic.awaited.size} events to be told, up to ${Math.round(options.settleMs / 1000)} s`);
    // Settled: every event the merchants know of acknowledged, and no delivery for longer than the
    // longest retry step (3 s), so what they do not know of (a create or refund whose answer a kill
    // lost) has been delivered too.
    for (const deadline = Date.now() + options.settleMs; Date.now() < deadline; await sleep(250)) {
      if (endpoint.quietForMs() > QUIET_MS && [...traffic.awaited].every(endpoint.acknowledged)) break;
    }
    await Promise.all(nodes.map((node) => signal(node.process, 'SIGTERM')));

    log('auditing');
    const audit = await openAudit();
    try {
      const stored = await readStored(audit.db);
      const existing = new Set(stored.orders.map((order) => order.platFormTradeNo));
      const lost = [...traffic.orders].filter((order) => !existing.has(order));
      const paid = new Set(stored.orders.filter((order) => order.status === OrderStatus.Paid).map((order) => order.platFormTradeNo));
      const attemptOrder = await attemptOrders(audit.db);
      const chargesPerOrder = new Map<string, number>();
      for (const charge of await acquirer.simulator.store.charges()) {
        const order = attemptOrder.get(charge.idempotencyKey) ?? `unknown attempt ${charge.idempotencyKey}`;
        chargesPerOrder.set(order, (chargesPerOrder.get(order) ?? 0) + 1);
      }
      const doubled = [...chargesPerOrder].filter(([, count]) => count > 1).map(([order]) => order);
      const chargedNotPaid = [...chargesPerOrder.keys()].filter((order) => !paid.has(order));
      let payoutsPaidTwice = 0;
      for (const payout of stored.payouts) if ((await acquirer.simulator.payoutCount(payout.id)) > (payout.status === PayoutStatusCode.Paid ? 1 : 0)) payoutsPaidTwice += 1;
      const undelivered = findUndelivered(stored.expected, endpoint.heard);
      const problems = (await ledgerProblems(audit.db)).map((problem) => `${problem.rule}: ${problem.detail}`);

      const cardPattern = new RegExp(`${SENTINEL_PAN}|cvc["'=: ]+${SENTINEL_CVC}`, 'i');
      let cardDataFound = await rowsMatching(audit.db, cardPattern);
      for (const file of walk(work)) if (cardPattern.test(fs.readFileSync(file, 'latin1'))) cardDataFound += 1;

      for (const order of lost.slice(0, 10)) log(`lost: ${order}`);
      for (const order of doubled.slice(0, 10)) log(`doubled: ${order}`);
      for (const order of chargedNotPaid.slice(0, 10)) log(`charged, not paid: ${order}`);
      for (const problem of problems.slice(0, 10)) log(`ledger: ${problem}`);
      for (const miss of undelivered.slice(0, 20)) log(`undelivered ${miss.key} of merchant ${miss.merchantNo}, stored ${miss.stored}: ${miss.reason}`);
      if (undelivered.length > 20) log(`… and ${undelivered.length - 20} more undelivered`);

      const endings = Object.fromEntries(STATUS_SETS.map((set) => [set, {}])) as ChaosReport['endings'];
      for (const order of stored.orders) endings[order.statusSet][order.status] = (endings[order.statusSet][order.status] ?? 0) + 1;
      log(`audited; orders by status set and stored status: ${JSON.stringify(endings)}`);
      const result: ChaosResult = {
        db: options.db,
        cycles: options.cycles,
        orders: traffic.orders.size,
        paid: paid.size,
        refunds: stored.refunds,
        payouts: stored.payouts.length,
        lost: lost.length,
        doubled: doubled.length,
        charged_not_paid: chargedNotPaid.length,
        payouts_paid_twice: payoutsPaidTwice,
        undelivered: undelivered.length,
        ledger_ok: problems.length === 0,
        card_data_found: cardDataFound,
        seed: options.seed,
      };
      const ok = lost.length === 0 && doubled.length === 0 && chargedNotPaid.length === 0 && payoutsPaidTwice === 0 && undelivered.length === 0 && problems.length === 0 && cardDataFound === 0;
      return { result, ok, endings, undelivered, ledgerProblems: problems };
    } finally {
      await audit.close();
    }
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

/** The environment with DATABASE_URL set to the run's database, or without one (PGlite in DATA_DIR). */
function withDatabase(databaseUrl: string | undefined, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _inherited, DATABASE_READ_URL: _read, ...rest } = env;
  return databaseUrl ? { ...rest, DATABASE_URL: databaseUrl } : rest;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
