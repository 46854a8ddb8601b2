import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.ts';
import { JobWaker } from './wake.ts';
import { startWorkers, type JobHandlers } from './worker.ts';

/** Enough of a context for the loops' timing: no database (a look for jobs fails and is logged here). */
function context(errors: unknown[]): GatewayContext {
  return { waker: new JobWaker(), now: () => new Date(), log: { error: (entry: unknown) => errors.push(entry), warn: () => {} } } as unknown as GatewayContext;
}

const handlers = {} as JobHandlers;

describe('startWorkers with startAfterMs (payrail start: the loops begin after the node listens)', () => {
  it('runs no sweep and looks for no job before startAfterMs, then runs the sweeps', async () => {
    const errors: unknown[] = [];
    const runs: number[] = [];
    const started = performance.now();
    const workers = startWorkers(context(errors), handlers, {
      concurrency: 1,
      pollMs: 60_000,
      leaseMs: 60_000,
      startAfterMs: 200,
      sweeps: [{ name: 'sweep', everyMs: 60_000, run: async () => void runs.push(performance.now() - started) }],
    });
    try {
      await expect.poll(() => runs.length, { timeout: 10_000, interval: 10 }).toBe(1);
      expect(runs[0]).toBeGreaterThanOrEqual(190);
    } finally {
      await workers.stop();
    }
  });

  it('a stop while it waits ends the loops at once, before any sweep or look for jobs', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const workers = startWorkers(context(errors), handlers, {
      concurrency: 1,
      pollMs: 60_000,
      leaseMs: 60_000,
      startAfterMs: 60_000,
      sweeps: [{ name: 'sweep', everyMs: 60_000, run: async () => void (runs += 1) }],
    });
    const stopping = performance.now();
    await workers.stop();
    expect(performance.now() - stopping).toBeLessThan(5_000);
    expect(runs).toBe(0);
    // The job loop never looked: without a database, a look would have logged an error.
    expect(errors).toEqual([]);
  });

  it('a stop while a sweep runs ends its loop once the run ends, not a period later', { timeout: 10_000 }, async () => {
    const errors: unknown[] = [];
    let finish = () => {};
    let running = false;
    const workers = startWorkers(context(errors), handlers, {
      concurrency: 0,
      pollMs: 60_000,
      leaseMs: 60_000,
      sweeps: [{ name: 'sweep', everyMs: 3_600_000, run: () => new Promise<void>((resolve) => ((running = true), (finish = resolve))) }],
    });
    await expect.poll(() => running, { timeout: 10_000, interval: 10 }).toBe(true);
    const stopped = workers.stop();
    finish();
    // Without the fix the loop sleeps its hour and this waits for the test's timeout.
    await stopped;
  });
});
