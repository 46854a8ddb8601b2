import type { GatewayContext } from '../context.ts';
import { claimDueJobs, finishJob, type JobOutcome, type JobRow } from '../store/jobs.ts';
import type { JobKind } from '../domain/job-status.ts';
import { isUnavailable } from '../db/health.ts';

/** While the database is away, loops wait this long, doubling, up to OUTAGE_BACKOFF_MAX_MS. */
const OUTAGE_BACKOFF_MS = 100;
const OUTAGE_BACKOFF_MAX_MS = 1_000;
const backoff = (failures: number) => Math.min(OUTAGE_BACKOFF_MS * 2 ** Math.max(0, failures - 1), OUTAGE_BACKOFF_MAX_MS);

/** Resolves after `ms`, or at once when `signal` aborts (or has aborted: a stop during a sweep's run). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
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
  /**
   * How long the loops wait before their first look (default 0). `payrail start` waits a moment
   * after it starts listening, so that a restarted node answers its first requests before the
   * loops' first queries, which are slow on a cold embedded database.
   */
  startAfterMs?: number;
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
      // A lost database is logged once for the whole outage (server.ts); anything else here is a bug.
      if (!isUnavailable(error)) context.log.error({ err: error, job: job.id, kind: job.kind }, 'job failed unexpectedly; retrying in 30 s');
      outcome = { done: false, retryAt: new Date(context.now().getTime() + 30_000), error: (error as Error).message.slice(0, 300) };
    }
    try {
      if (!(await finishJob(context.db, job, outcome, context.now()))) {
        context.log.warn({ job: job.id }, 'job lease ran out before it finished; another worker may repeat it');
      }
    } catch (error) {
      // The database is unreachable: the job runs again once its lease ends. Never crash the process.
      if (!isUnavailable(error)) context.log.error({ err: error, job: job.id }, 'could not record how a job went; it runs again once its lease ends');
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

  const started = options.startAfterMs ? sleep(options.startAfterMs, stopped.signal) : Promise.resolve();

  const jobLoop = (async () => {
    let outageFailures = 0;
    await started;
    while (running) {
      let claimed = 0;
      try {
        claimed = await claim();
        outageFailures = 0;
      } catch (error) {
        if (isUnavailable(error)) outageFailures += 1;
        else if (running) context.log.error({ err: error }, 'worker loop error; retrying');
      }
      if (!running) break;
      if (outageFailures > 0) await sleep(backoff(outageFailures), stopped.signal);
      else if (claimed === 0) await context.waker.nextWake(options.pollMs);
    }
  })();

  const sweepLoops = options.sweeps.map(async (sweep) => {
    let outageFailures = 0;
    await started;
    while (running) {
      try {
        await sweep.run();
        outageFailures = 0;
      } catch (error) {
        if (isUnavailable(error)) outageFailures += 1;
        else if (running) context.log.error({ err: error, sweep: sweep.name }, 'sweep failed; will run again');
      }
      // A sweep the outage interrupted runs again soon after the database is back, not a full period later.
      await sleep(outageFailures > 0 ? Math.min(backoff(outageFailures), sweep.everyMs) : sweep.everyMs, stopped.signal);
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
