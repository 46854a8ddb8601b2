/**
 * The customer's path against its floor (bench/pay-floor.ts): the same customers, the same
 * requests (GET the page, POST the card, read the receipt) on orders created beforehand, on the
 * same PostgreSQL, the floor and the gateway alternating, for a card and an address per customer
 * and for one card from one address. `npm run bench` prints it after its table; `npm run bench:pay`
 * runs it alone.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.ts';
import { freshDatabase } from './databases.ts';
import { startGateway } from './gateway.ts';
import { startPayFloor } from './pay-floor.ts';
import { createOrder } from './pay-path-client.ts';
import type { CustomersMessage, CustomersResult, CustomersTask } from './pay-path-customers.ts';
import { walOfDatabase } from './database-cost.ts';
import { openCpuWindow, postgresPids, type CpuWindow } from './cpu.ts';

const CUSTOMERS = 16;
const PAYMENTS = Number(process.env.PAY_PATH_PAYMENTS ?? 400);
const WARM_UP = 2 * CUSTOMERS;

export interface PayPathRow {
  shape: string;
  server: 'floor' | 'payrail';
  paymentsPerSecond: number;
  postP99Ms: number;
  failed: number;
  /** The database's commits per payment, read-only ones included (`xact_commit`, approximate: see `counters`). */
  commitsPerPayment: number;
  /** Commits that wrote (a transaction id each, exact): each one a WAL flush. */
  writingCommitsPerPayment: number;
  walBytesPerPayment: number;
  /**
   * CPU per payment, ms: `gateway` is the server under test alone (the gateway, or the floor's
   * server; the customers run in another process), `database` PostgreSQL's processes.
   */
  cpuMsPerPayment: { gateway: number; database: number };
}

/**
 * The database's commits (`xact_commit`, read-only transactions included), the server's writing
 * transactions (transaction ids handed out: each one a commit that flushes WAL, or a rollback;
 * exact, and only the database under test writes meanwhile) and the server's WAL position
 * (`walOfDatabase` reads what this database wrote since). `xact_commit` is not exact over a short
 * window: PostgreSQL (15 and later) adds a backend's commits to it at most once a second while it
 * works and within 10 s once idle, so some of one window's commits are counted in the next (this is
 * why bench:pay showed 4.0–4.66 commits a payment, and the floor 1.4–2.8, where each pays 4 and 2).
 */
export async function counters(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string; xid: string; wal: string }>(
      `SELECT xact_commit::text AS commits, pg_snapshot_xmax(pg_current_snapshot())::text AS xid,
              pg_current_wal_lsn()::text AS wal
         FROM pg_stat_database WHERE datname = current_database()`,
    );
    return { commits: Number(rows[0]!.commits), writes: Number(rows[0]!.xid), wal: rows[0]!.wal };
  } finally {
    await client.end();
  }
}

/**
 * Pays `orders` through the server at `baseUrl` with the customers in a process of their own
 * (pay-path-customers.ts), so that this process's CPU over the window is the server's alone: the
 * bench runs the floor and the gateway here, one at a time.
 */
async function payAll(baseUrl: string, orders: { token: string; orderNo: string }[], cards: CustomersTask['cards'], databaseUrl: string, serverUrl: string) {
  const paid = orders.length;
  let before: Awaited<ReturnType<typeof counters>> | undefined;
  let window: CpuWindow | undefined;
  const result = await new Promise<CustomersResult>((resolve, reject) => {
    const child = fork(new URL('./pay-path-customers.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let answered = false;
    child.on('message', (message: CustomersMessage) => {
      if ('phase' in message) {
        // The window opens once the customers' process has started, so its start costs nothing here.
        Promise.all([counters(databaseUrl), postgresPids(serverUrl)]).then(([counted, pids]) => {
          before = counted;
          window = openCpuWindow(pids);
          child.send('go');
        }, reject);
        return;
      }
      answered = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`customers' process failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`customers' process exited with ${code} before answering`));
    });
    child.send({ baseUrl, orders, cards, customers: CUSTOMERS } satisfies CustomersTask);
  });
  const cpu = window!.end(await postgresPids(serverUrl));
  const after = await counters(databaseUrl);
  const per = (value: number) => Math.round((value / paid) * 100) / 100;
  return {
    paymentsPerSecond: Math.round(((paid - result.failed) / result.seconds) * 10) / 10,
    postP99Ms: result.postP99Ms,
    failed: result.failed,
    commitsPerPayment: per(after.commits - before!.commits - 1),
    writingCommitsPerPayment: per(after.writes - before!.writes),
    walBytesPerPayment: Math.round((await walOfDatabase(databaseUrl, before!.wal)) / paid),
    cpuMsPerPayment: { gateway: per(cpu.ownUs / 1000), database: per(cpu.databaseUs / 1000) },
  };
}

export async function comparePayPath(server: PostgresServer): Promise<PayPathRow[]> {
  const rows: PayPathRow[] = [];
  for (const [shape, cards] of [
    ['a card and an address per customer', 'many'],
    ['one card from one address', 'one'],
  ] as const) {
    const floorDb = await freshDatabase('postgres', server);
    const gatewayDb = await freshDatabase('postgres', server);
    const floor = await startPayFloor(floorDb.handle);
    const gateway = await startGateway(gatewayDb, { TRUST_PROXY: true, CARD_DECLINES_PER_DAY: 1_000_000, IP_DECLINES_PER_HOUR: 1_000_000 });
    try {
      // Alternating halves: floor, payrail, floor, payrail; each figure is the mean of its two halves.
      const halves: Record<'floor' | 'payrail', Awaited<ReturnType<typeof payAll>>[]> = { floor: [], payrail: [] };
      for (let round = 0; round < 2; round++) {
        // WARM_UP more payments first, not counted: every pooled connection open and its backend's
        // caches filled, as in a running gateway (a new backend's start would count in the window).
        const floorOrders = await Promise.all(Array.from({ length: PAYMENTS / 2 + WARM_UP }, () => floor.createOrder()));
        await payAll(floor.baseUrl, floorOrders.splice(0, WARM_UP), cards, floorDb.databaseUrl!, server.url());
        halves.floor.push(await payAll(floor.baseUrl, floorOrders, cards, floorDb.databaseUrl!, server.url()));
        const orders = [];
        for (let i = 0; i < PAYMENTS / 2 + WARM_UP; i++) orders.push(await createOrder(gateway.baseUrl, gateway.merchant));
        await payAll(gateway.baseUrl, orders.splice(0, WARM_UP), cards, gatewayDb.databaseUrl!, server.url());
        halves.payrail.push(await payAll(gateway.baseUrl, orders, cards, gatewayDb.databaseUrl!, server.url()));
      }
      for (const name of ['floor', 'payrail'] as const) {
        const [a, b] = halves[name] as [Awaited<ReturnType<typeof payAll>>, Awaited<ReturnType<typeof payAll>>];
        const mean = (pick: (half: typeof a) => number) => Math.round(((pick(a) + pick(b)) / 2) * 100) / 100;
        rows.push({
          shape,
          server: name,
          paymentsPerSecond: mean((half) => half.paymentsPerSecond),
          postP99Ms: Math.max(a.postP99Ms, b.postP99Ms),
          failed: a.failed + b.failed,
          commitsPerPayment: mean((half) => half.commitsPerPayment),
          writingCommitsPerPayment: mean((half) => half.writingCommitsPerPayment),
          walBytesPerPayment: mean((half) => half.walBytesPerPayment),
          cpuMsPerPayment: { gateway: mean((half) => half.cpuMsPerPayment.gateway), database: mean((half) => half.cpuMsPerPayment.database) },
        });
      }
    } finally {
      await gateway.close();
      await floor.close();
      await gatewayDb.dispose();
      await floorDb.dispose();
    }
  }
  return rows;
}

export function formatPayPath(rows: PayPathRow[]): string {
  const lines = [
    `pay path vs its floor (PostgreSQL, ${CUSTOMERS} customers, ${PAYMENTS} payments each, alternating; load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')})`,
    '| shape | server | pay/s | POST p99 ms | vs floor | commits: writing (all, approximate) | WAL bytes | CPU ms: gateway (the server alone), database | failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const floor = rows.find((other) => other.shape === row.shape && other.server === 'floor')!;
    const ratio = row.server === 'floor' ? '' : `${(row.paymentsPerSecond / floor.paymentsPerSecond).toFixed(2)}× pay/s, p99 ${(row.postP99Ms / floor.postP99Ms).toFixed(2)}×`;
    lines.push(`| ${row.shape} | ${row.server} | ${row.paymentsPerSecond} | ${row.postP99Ms} | ${ratio} | ${row.writingCommitsPerPayment} (${row.commitsPerPayment}) | ${row.walBytesPerPayment} | ${row.cpuMsPerPayment.gateway}, ${row.cpuMsPerPayment.database} | ${row.failed} |`);
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('pay-path.ts')) {
  const server = await startPostgres();
  try {
    console.log(formatPayPath(await comparePayPath(server)));
  } finally {
    await server.stop();
  }
}
