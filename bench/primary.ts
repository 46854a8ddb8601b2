/**
 * `npm run bench:primary`: what one PostgreSQL primary spends per paid-and-notified order, for
 * docs/scaling.md. The gateway (with its workers) and a notify receiver run here, the customers in
 * a separate process (payment-flow: create, payment page, card form, receipt), and while they pay
 * the server's own statistics are read: WAL (pg_stat_wal), commits (pg_stat_database), what its
 * busy backends wait for (pg_stat_activity, sampled every 20 ms) and CPU (/proc).
 * Options: --customers N (default 16), --seconds S (default 15), --warmup S (default 3), --same-card (every payment with
 * 4242… from 127.0.0.1, as `npm run bench`'s payment-flow does; by default each payment has its
 * own card and client address).
 */
import { startPostgres } from '../test/support/postgres-server.ts';
import { measurePrimary } from './primary-measure.ts';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

const server = await startPostgres();
try {
  const result = await measurePrimary(server, {
    customers: argument('customers', 16),
    warmupSeconds: argument('warmup', 3),
    seconds: argument('seconds', 15),
    sameCard: process.argv.includes('--same-card'),
    log: (message) => console.error(`[bench:primary] ${message}`),
  });
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await server.stop();
}
