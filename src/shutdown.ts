/** One thing a stopping process waits for, named as the log line says it: "requests in flight". */
export interface ShutdownStep {
  what: string;
  run: () => Promise<void>;
}

export type ShutdownOutcome = { kind: 'done'; ms: number } | { kind: 'timed-out'; waitingFor: string; ms: number };

/**
 * Runs the steps of a stop in order, saying before each what it now waits for, and gives up
 * after `timeoutMs` whatever is still running: the caller exits anyway, naming what was left.
 */
export async function shutDown(steps: readonly ShutdownStep[], options: { timeoutMs: number; say: (message: string) => void; now?: () => number }): Promise<ShutdownOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  let current = 'nothing';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ShutdownOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out', waitingFor: current, ms: now() - started }), options.timeoutMs);
    timer.unref();
  });
  const work = (async (): Promise<ShutdownOutcome> => {
    for (const step of steps) {
      current = step.what;
      options.say(`stopping: waiting for ${step.what}`);
      await step.run();
    }
    return { kind: 'done', ms: now() - started };
  })();
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
