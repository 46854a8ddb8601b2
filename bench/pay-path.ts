/**
 * The customer's path against its floor (bench/pay-floor.ts): the same customers, the same
 * requests (GET the page, POST the card, read the receipt) on orders created beforehand, on the
 * same PostgreSQL, the floor and the gateway alternating, for a card and an address per customer
 * and for one card from one address. `npm run bench` prints it after its table; `npm run bench:pay`
 * runs it alone.
 */
import os from 'node:os';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.ts';
import { freshDatabase } from './databases.ts';
import { startGateway } from './gateway.ts';
import { startPayFloor } from './pay-floor.ts';
import { ONE_CARD, createOrder, distinctCustomer, payOrder, type Customer } from './pay-path-client.ts';
import { percentile } from './stats.ts';

const CUSTOMERS = 16;
const PAYMENTS = Number(process.env.PAY_PATH_PAYMENTS ?? 400);

export interface PayPathRow {
  shape: string;
  server: 'floor' | 'payrail';
  paymentsPerSecond: number;
  postP99Ms: number;
  failed: number;
  commitsPerPayment: number;
  walBytesPerPayment: number;
  /** The bench's process: the server under test and the 16 customers. */
  cpuMsPerPayment: number;
}

/** The server's commits and WAL position for the database at `url`. */
export async function counters(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string; wal: string }>(
      `SELECT xact_commit::text AS commits, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS wal FROM pg_stat_database WHERE datname = current_database()`,
    );
    return { commits: Number(rows[0]!.commits), wal: Number(rows[0]!.wal) };
  } finally {
    await client.end();
  }
}

async function payAll(baseUrl: string, orders: { token: string; orderNo: string }[], customerOf: () => Customer, databaseUrl: string) {
  const paid = orders.length;
  const before = await counters(databaseUrl);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const postMs: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async () => {
      for (let order = orders.pop(); order; order = orders.pop()) {
        try {
          postMs.push(await payOrder(baseUrl, order, customerOf()));
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const after = await counters(databaseUrl);
  const per = (value: number) => Math.round((value / paid) * 100) / 100;
  return {
    paymentsPerSecond: Math.round(((paid - failed) / seconds) * 10) / 10,
    postP99Ms: Math.round(percentile(postMs, 99)),
    failed,
    commitsPerPayment: per(after.commits - before.commits - 1),
    walBytesPerPayment: Math.round((after.wal - before.wal) / paid),
    cpuMsPerPayment: per((cpu.user + cpu.system) / 1000),
  };
}

export async function comparePayPath(server: PostgresServer): Promise<PayPathRow[]> {
  const rows: PayPathRow[] = [];
  for (const [shape, customerOf] of [
    ['a card and an address per customer', distinctCustomer],
    ['one card from one address', () => ONE_CARD],
  ] as const) {
    const floorDb = await freshDatabase('postgres', server);
    const gatewayDb = await freshDatabase('postgres', server);
    const floor = await startPayFloor(floorDb.handle);
    const gateway = await startGateway(gatewayDb, { TRUST_PROXY: true, CARD_DECLINES_PER_DAY: 1_000_000, IP_DECLINES_PER_HOUR: 1_000_000 });
    try {
      // Alternating halves: floor, payrail, floor, payrail; each figure is the mean of its two halves.
      const halves: Record<'floor' | 'payrail', Awaited<ReturnType<typeof payAll>>[]> = { floor: [], payrail: [] };
      for (let round = 0; round < 2; round++) {
        const floorOrders = await Promise.all(Array.from({ length: PAYMENTS / 2 }, () => floor.createOrder()));
        halves.floor.push(await payAll(floor.baseUrl, floorOrders, customerOf, floorDb.databaseUrl!));
        const orders = [];
        for (let i = 0; i < PAYMENTS / 2; i++) orders.push(await createOrder(gateway.baseUrl, gateway.merchant));
        halves.payrail.push(await payAll(gateway.baseUrl, orders, customerOf, gatewayDb.databaseUrl!));
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
          walBytesPerPayment: mean((half) => half.walBytesPerPayment),
          cpuMsPerPayment: mean((half) => half.cpuMsPerPayment),
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
    '| shape | server | pay/s | POST p99 ms | vs floor | commits | WAL bytes | CPU ms (server + customers) | failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const floor = rows.find((other) => other.shape === row.shape && other.server === 'floor')!;
    const ratio = row.server === 'floor' ? '' : `${(row.paymentsPerSecond / floor.paymentsPerSecond).toFixed(2)}× pay/s, p99 ${(row.postP99Ms / floor.postP99Ms).toFixed(2)}×`;
    lines.push(`| ${row.shape} | ${row.server} | ${row.paymentsPerSecond} | ${row.postP99Ms} | ${ratio} | ${row.commitsPerPayment} | ${row.walBytesPerPayment} | ${row.cpuMsPerPayment} | ${row.failed} |`);
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
