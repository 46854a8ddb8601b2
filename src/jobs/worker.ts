import type { GatewayContext } from '../context.ts';
import { claimDueJobs, finishJob, type JobOutcome, type JobRow } from '../store/jobs.ts';
import type { JobKind } from '../domain/job-status.ts';

/** Resolves after `ms`, or at once when `signal` aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener('abort', wake);
  });

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
 * The background loops of one gateway process: one claims due jobs, runs them with bounded
 * concurrency and records their outcome; each sweep runs in a loop of its own, so a slow sweep
 * (an acquirer that does not answer) never holds up notifications. Several processes may run
 * them against one database: claims use SKIP LOCKED and leases.
 */
export function startWorkers(context: GatewayContext, handlers: JobHandlers, options: WorkerOptions): Workers {
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const stopped = new AbortController();

  const run = async (job: JobRow) => {
    let outcome: JobOutcome;
    try {
      outcome = await handlers[job.kind](job);
    } catch (error) {
      context.log.error({ err: error, job: job.id, kind: job.kind }, 'job failed unexpectedly; retrying in 30 s');
      outcome = { done: false, retryAt: new Date(context.now().getTime() + 30_000), error: (error as Error).message.slice(0, 300) };
    }
    try {
      if (!(await finishJob(context.db, job, outcome, context.now()))) {
        context.log.warn({ job: job.id }, 'job lease ran out before it finished; another worker may repeat it');
      }
    } catch (error) {
      // The database is unreachable: the job runs again once its lease ends. Never crash the process.
      context.log.error({ err: error, job: job.id }, 'could not record how a job went; it runs again once its lease ends');
    }
  };

  const claim = async () => {
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

  const jobLoop = (async () => {
    while (running) {
      let claimed = 0;
      try {
        claimed = await claim();
      } catch (error) {
        if (running) context.log.error({ err: error }, 'worker loop error; retrying');
      }
      if (running && claimed === 0) await context.waker.nextWake(options.pollMs);
    }
  })();

  const sweepLoops = options.sweeps.map(async (sweep) => {
    while (running) {
      try {
        await sweep.run();
      } catch (error) {
        if (running) context.log.error({ err: error, sweep: sweep.name }, 'sweep failed; will run again');
      }
      await sleep(sweep.everyMs, stopped.signal);
    }
  });

  return {
    async stop() {
      running = false;
      stopped.abort();
      context.waker.wake();
      await Promise.all([jobLoop, ...sweepLoops]);
      await Promise.allSettled([...inFlight]);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
