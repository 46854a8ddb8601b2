import type { GatewayContext } from '../context.ts';
import { claimDueJobs, finishJob, type JobOutcome, type JobRow } from '../store/jobs.ts';
import type { JobKind } from '../db/schema.ts';

export type JobHandlers = Record<JobKind, (job: JobRow) => Promise<JobOutcome>>;

export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency: number;
  /** Longest sleep between looks for due jobs when nothing wakes the worker. */
  pollMs: number;
  /** How long a claimed job stays invisible to other workers; longer than any single attempt. */
  leaseMs: number;
  /** Periodic work over whole tables (expiry, reconciliation), each safe on several nodes at once. */
  sweeps: Sweep[];
}

export interface Sweep {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

export interface Workers {
  stop(): Promise<void>;
  /** Resolves once no job is running in this process (tests use it). */
  idle(): Promise<void>;
}

/**
 * The background loop of one gateway process: claim due jobs, run them with bounded
 * concurrency, record their outcome; sweep expired orders. Several processes may run it
 * against one database: claims use SKIP LOCKED and leases.
 */
export function startWorkers(context: GatewayContext, handlers: JobHandlers, options: WorkerOptions): Workers {
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const lastRun = new Map<string, number>();

  const run = async (job: JobRow) => {
    let outcome: JobOutcome;
    try {
      outcome = await handlers[job.kind](job);
    } catch (error) {
      context.log.error({ err: error, job: job.id, kind: job.kind }, 'job failed unexpectedly; retrying in 30 s');
      outcome = { done: false, retryAt: new Date(context.now().getTime() + 30_000), error: (error as Error).message.slice(0, 300) };
    }
    try {
      if (!(await finishJob(context.db, job, outcome))) {
        context.log.warn({ job: job.id }, 'job lease ran out before it finished; another worker may repeat it');
      }
    } catch (error) {
      // The database is unreachable: the job runs again once its lease ends. Never crash the process.
      context.log.error({ err: error, job: job.id }, 'could not record how a job went; it runs again once its lease ends');
    }
  };

  const tick = async () => {
    for (const sweep of options.sweeps) {
      if (Date.now() - (lastRun.get(sweep.name) ?? 0) < sweep.everyMs) continue;
      lastRun.set(sweep.name, Date.now());
      try {
        await sweep.run();
      } catch (error) {
        context.log.error({ err: error, sweep: sweep.name }, 'sweep failed; will run again');
      }
    }
    const room = options.concurrency - inFlight.size;
    if (room <= 0) return 0;
    const jobs = await claimDueJobs(context.db, { limit: room, leaseMs: options.leaseMs });
    for (const job of jobs) {
      const task = run(job).finally(() => {
        inFlight.delete(task);
        context.waker.wake();
      });
      inFlight.add(task);
    }
    return jobs.length;
  };

  const loop = (async () => {
    while (running) {
      let claimed = 0;
      try {
        claimed = await tick();
      } catch (error) {
        if (running) context.log.error({ err: error }, 'worker loop error; retrying');
      }
      if (running && claimed === 0) await context.waker.nextWake(options.pollMs);
    }
  })();

  return {
    async stop() {
      running = false;
      context.waker.wake();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
