/**
 * `npm run bench:pay-profile`: where one payment's statements, commits, WAL and gateway CPU go.
 * Orders are created first; then N customers pay one after another (GET page, POST card,
 * receipt; the simulator acquirer in process) while every statement the gateway sends to
 * PostgreSQL is counted by kind. Sequential on purpose: nothing else commits meanwhile, so the
 * server's counters are this path's alone (docs/performance.md, "The customer's path").
 */
import pg from 'pg';
import { startPostgres } from '../test/support/postgres-server.ts';
import { freshDatabase } from './databases.ts';
import { startGateway } from './gateway.ts';
import { ONE_CARD, createOrder, distinctCustomer, payOrder } from './pay-path-client.ts';
import { counters } from './pay-path.ts';
import { STATEMENT_STATS, formatStatementTimes, formatWalBreakdown, resetStatementTimes, walBreakdown } from './database-cost.ts';

const PAYMENTS = Number(process.env.PAYMENTS ?? 200);
/** CUSTOMERS=16: that many customers pay at once instead (payments/s and POST p99; counters per payment as before). */
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1);

/** A statement's kind: its verb and the table it names first. */
function kindOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const verb = /^(\w+)/.exec(flat)?.[1]?.toUpperCase() ?? '?';
  if (['BEGIN', 'COMMIT', 'ROLLBACK'].includes(verb)) return verb;
  const table = /\b(?:from|into|update|join)\s+"?(\w+)"?/i.exec(flat)?.[1] ?? '';
  const leading = flat.startsWith('with') || flat.startsWith('WITH') ? 'WITH…' : verb;
  return `${leading} ${table}`.trim();
}

async function main() {
  const server = await startPostgres({ settings: STATEMENT_STATS });
  try {
    const database = await freshDatabase('postgres', server);
    const gateway = await startGateway(database, { TRUST_PROXY: true, CARD_DECLINES_PER_DAY: 1_000_000, IP_DECLINES_PER_HOUR: 1_000_000 });
    try {
      for (const [label, customerOf] of [
        ['a card and an address per customer', distinctCustomer],
        ['one card from one address', () => ONE_CARD],
      ] as const) {
        const orders: { token: string; orderNo: string }[] = [];
        for (let i = 0; i < PAYMENTS; i++) orders.push(await createOrder(gateway.baseUrl, gateway.merchant));
        for (let i = 0; i < 5; i++) await payOrder(gateway.baseUrl, orders.pop()!, customerOf()); // warm-up
        const statements = new Map<string, number>();
        const query = pg.Client.prototype.query;
        pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
          const config = args[0] as string | { text: string };
          const kind = kindOf(typeof config === 'string' ? config : config.text);
          statements.set(kind, (statements.get(kind) ?? 0) + 1);
          return (query as (...a: unknown[]) => unknown).apply(this, args);
        } as typeof query;
        await resetStatementTimes(database.databaseUrl!);
        const before = await counters(database.databaseUrl!);
        const cpuBefore = process.cpuUsage();
        const paid = orders.length;
        const startedAt = performance.now();
        const postMs: number[] = [];
        await Promise.all(
          Array.from({ length: CUSTOMERS }, async () => {
            for (let order = orders.pop(); order; order = orders.pop()) postMs.push(await payOrder(gateway.baseUrl, order, customerOf()));
          }),
        );
        const seconds = (performance.now() - startedAt) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        postMs.sort((a, b) => a - b);
        pg.Client.prototype.query = query;
        const after = await counters(database.databaseUrl!);
        const per = (value: number) => Math.round((value / paid) * 100) / 100;
        console.log(`\n${label}: ${paid} payments by ${CUSTOMERS} customers at once: ${(paid / seconds).toFixed(1)} payments/s, POST p50 ${postMs[Math.floor(paid * 0.5)]!.toFixed(0)} ms, p99 ${postMs[Math.min(paid - 1, Math.floor(paid * 0.99))]!.toFixed(0)} ms`);
        const wal = await walBreakdown(database.databaseUrl!, before.wal, paid);
        console.log(`  commits ${per(after.commits - before.commits - 1)} (writing ${per(after.writes - before.writes)}), WAL ${Math.round(wal.reduce((sum, share) => sum + share.bodyBytes + share.fpiBytes, 0))} bytes, CPU ${per((cpu.user + cpu.system) / 1000)} ms (gateway and customer, one process)`);
        console.log(`  statements ${per([...statements.values()].reduce((a, b) => a + b, 0))}:`);
        for (const [kind, count] of [...statements].sort((a, b) => b[1] - a[1])) console.log(`    ${per(count).toFixed(2).padStart(6)}  ${kind}`);
        console.log(formatWalBreakdown(wal));
        console.log(await formatStatementTimes(database.databaseUrl!, paid));
      }
    } finally {
      await gateway.close();
      await database.dispose();
    }
  } finally {
    await server.stop();
  }
}

await main();
