import { expect, inject, it } from 'vitest';
import { measurePrimary } from '../../bench/primary-measure.ts';

/**
 * `npm run bench:primary` in short (2 customers, 1 s warm-up, 2 s measured) on the suite's
 * PostgreSQL: the payments it drives succeed, get notified, and every statistic it reads from
 * the server is still there (a renamed view or column would make a figure NaN or the run throw).
 */
it('bench:primary pays, notifies and reads every per-order figure from the server', async () => {
  const base = inject('postgresUrl');
  const server = { url: (database?: string) => (database ? base.replace(/\/[^/]*$/, `/${database}`) : base) };
  const progress: string[] = [];
  const result = await measurePrimary(server, { customers: 2, warmupSeconds: 1, seconds: 2, sameCard: false, log: (line) => progress.push(line) });
  const said = JSON.stringify(result, null, 2);
  expect(result.failed, said).toBe(0);
  expect(result.paid_per_second, said).toBeGreaterThan(0);
  expect(result.notified_in_window, said).toBeGreaterThan(0);
  for (const [figure, value] of Object.entries(result.per_paid_order)) expect(Number.isFinite(value), `${figure}: ${said}`).toBe(true);
  expect(result.per_paid_order.commits, said).toBeGreaterThan(0);
  expect(result.per_paid_order.wal_bytes, said).toBeGreaterThan(0);
  expect(result.per_paid_order.rows_inserted, said).toBeGreaterThan(0);
});
