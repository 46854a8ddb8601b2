import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { PostgresServer } from '../test/support/postgres-server.ts';
import { freshDatabase } from './databases.ts';
import { startGateway } from './gateway.ts';
import { runLoad } from './load.ts';
import { openCpuWindow, postgresPids } from './cpu.ts';
import { sleep } from './stats.ts';

export interface PrimaryOptions {
  customers: number;
  warmupSeconds: number;
  seconds: number;
  /** Every payment with 4242… from 127.0.0.1; otherwise a card and an address per payment. */
  sameCard: boolean;
  log: (message: string) => void;
}

async function counters(client: pg.Client, database: string) {
  const wal = await client.query<{ wal_records: string; wal_bytes: string; wal_fpi: string; wal_write: string; wal_sync: string }>(
    'SELECT wal_records, wal_bytes, wal_fpi, wal_write, wal_sync FROM pg_stat_wal',
  );
  const db = await client.query<{ xact_commit: string; tup_inserted: string; tup_updated: string; blks_read: string; blks_hit: string }>(
    'SELECT xact_commit, tup_inserted, tup_updated, blks_read, blks_hit FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return Object.fromEntries(Object.entries({ ...wal.rows[0]!, ...db.rows[0]! }).map(([key, value]) => [key, Number(value)]));
}

/**
 * What one PostgreSQL primary spends per paid-and-notified order (`npm run bench:primary`): the
 * gateway with its workers and a notify receiver here, the customers in a load process, and the
 * server's own statistics read around the measured window.
 */
export async function measurePrimary(server: Pick<PostgresServer, 'url'>, options: PrimaryOptions) {
  const { customers, seconds, sameCard, log } = options;
  log(`load average at start ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}`);
  const database = await freshDatabase('postgres', server);
  const gateway = await startGateway(database, { TRUST_PROXY: true });
  let notified = 0;
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      notified += 1;
      response.end('OK');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
  gateway.gateway.startWorkers();
  const databaseName = new URL(database.databaseUrl!).pathname.slice(1);
  const stats = new pg.Client({ connectionString: database.databaseUrl });
  await stats.connect();

  let before: Record<string, number> = {};
  let notifiedBefore = 0;
  let cpu: ReturnType<typeof openCpuWindow> | undefined;
  const waits = new Map<string, number>();
  let samples = 0;
  let sampling = false;
  const sample = async () => {
    while (sampling) {
      const { rows } = await stats.query<{ wait: string; n: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait, count(*) AS n
           FROM pg_stat_activity WHERE state = 'active' AND datname = $1 AND pid <> pg_backend_pid() GROUP BY 1`,
        [databaseName],
      );
      samples += 1;
      for (const row of rows) waits.set(row.wait, (waits.get(row.wait) ?? 0) + Number(row.n));
      await sleep(20);
    }
  };
  let sampler: Promise<void> | undefined;
  const pids = await postgresPids(server.url());
  const flow = await runLoad(
    { kind: 'payment-flow', baseUrl: gateway.baseUrl, merchant: gateway.merchant, options: { customers, warmupSeconds: options.warmupSeconds, seconds, notifyUrl, distinctCustomers: !sameCard } },
    () => {
      void counters(stats, databaseName).then((values) => (before = values));
      notifiedBefore = notified;
      cpu = openCpuWindow(pids);
      sampling = true;
      sampler = sample();
    },
  );
  const used = cpu!.end();
  const after = await counters(stats, databaseName);
  sampling = false;
  await sampler;
  const paid = flow.paid;
  const per = (key: string) => Math.round(((after[key]! - before[key]!) / paid) * 10) / 10;
  const result = {
    when: new Date().toISOString(),
    load_average_end: os.loadavg().map((n) => Math.round(n * 100) / 100),
    customers,
    seconds,
    cards: sameCard ? 'one card, one address' : 'a card and an address per payment',
    paid_per_second: Math.round((paid / seconds) * 10) / 10,
    failed: flow.failed,
    notified_in_window: notified - notifiedBefore,
    per_paid_order: {
      wal_bytes: per('wal_bytes'),
      wal_records: per('wal_records'),
      wal_full_page_images: per('wal_fpi'),
      wal_syncs: per('wal_sync'),
      commits: per('xact_commit'),
      rows_inserted: per('tup_inserted'),
      rows_updated: per('tup_updated'),
      cpu_us_gateway: Math.round(used.ownUs / paid),
      cpu_us_database: Math.round(used.databaseUs / paid),
    },
    // Average number of active backends in each state at a sample: 'CPU' is running or runnable.
    active_backends_by_wait: Object.fromEntries([...waits].sort((a, b) => b[1] - a[1]).map(([wait, n]) => [wait, Math.round((n / samples) * 100) / 100])),
  };
  await stats.end();
  receiver.close();
  await gateway.close();
  await database.dispose();
  return result;
}

