import { describe, inject, it } from 'vitest';
import { runChaos } from '../../bench/chaos/run-chaos.ts';
import type { DatabaseKind } from '../../bench/databases.ts';
import { OrderStatus, STATUS_SETS } from '../../src/domain/order-status.ts';

const UNPAID = [OrderStatus.Expired, OrderStatus.Closed];

/**
 * `npm run chaos` in short: gateway processes killed with SIGKILL under load, for a `family` and
 * an `extended` merchant, then every invariant the full run checks. PGlite has one node, and each
 * of its restarts waits out the killed node's lock, so it gets one kill under load (and one more
 * before settling) to stay within the suite's time; its one cycle is longer, so that both merchants
 * have orders before the kill (a 1.5 s cycle once made only four, all for one merchant).
 */
const SHORT: Record<DatabaseKind, { cycles: number; nodes: number; cycleMs: number }> = {
  postgres: { cycles: 3, nodes: 2, cycleMs: 1_500 },
  pglite: { cycles: 1, nodes: 1, cycleMs: 6_000 },
};

// The two runs overlap: much of each is waiting (kill cycles, PGlite's lock, the settling quiet).
describe.concurrent.each(['postgres', 'pglite'] as const)('a short chaos run [%s]', (kind) => {
  it('loses nothing, charges once, tells every merchant every final status in its status set, balances the ledger and keeps no card data', async ({ expect }) => {
    const progress: string[] = [];
    const report = await runChaos({
      db: kind,
      ...SHORT[kind],
      customers: 4,
      settleMs: 45_000,
      seed: Date.now() % 100_000,
      postgresUrl: inject('postgresUrl'),
      pgliteTemplate: inject('pgliteTemplate'),
      log: (line) => progress.push(line),
    });
    const said = progress.join('\n');
    // On failure the message is the run's own account: each event counted undelivered with why, each ledger problem.
    expect(report.result, said).toMatchObject({ lost: 0, doubled: 0, charged_not_paid: 0, payouts_paid_twice: 0, undelivered: 0, ledger_ok: true, card_data_found: 0 });
    // The run did something: orders were made and some were paid.
    expect(report.result.paid, said).toBeGreaterThan(0);
    // Both merchants had orders expire or close: the endings the two status sets are told differently.
    for (const set of STATUS_SETS) expect(UNPAID.some((status) => (report.endings[set][status] ?? 0) > 0), said).toBe(true);
    expect(report.ok, said).toBe(true);
  }, 300_000);
});
