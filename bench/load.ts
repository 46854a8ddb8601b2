import { fork } from 'node:child_process';
import type { LoadShape } from './hammer.ts';
import type { BenchMerchant } from './merchant-request.ts';
import type { FlowOptions, FlowResult } from './payment-flow.ts';
import type { CheckoutLoadResult } from './create-checkout.ts';
import type { loadFloor } from './floor-load.ts';

export type LoadTask =
  | { kind: 'floor'; url: string; shape: LoadShape }
  | { kind: 'create-checkout'; baseUrl: string; merchant: BenchMerchant; shape: LoadShape }
  | { kind: 'payment-flow'; baseUrl: string; merchant: BenchMerchant; options: FlowOptions };

type ResultOf<T extends LoadTask> = T extends { kind: 'floor' }
  ? Awaited<ReturnType<typeof loadFloor>> & { loadCpuUs: number }
  : T extends { kind: 'create-checkout' }
    ? CheckoutLoadResult & { loadCpuUs: number }
    : FlowResult;

type LoadMessage = { phase: 'measuring' } | { ok: boolean; result?: unknown; error?: string };

/**
 * Runs one load in a separate process (load-process.ts) and answers what it measured.
 * `onMeasuring` is called when the load's measured window opens.
 */
export function runLoad<T extends LoadTask>(task: T, onMeasuring: () => void = () => {}): Promise<ResultOf<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-process.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let answered = false;
    child.on('message', (message: LoadMessage) => {
      if ('phase' in message) return onMeasuring();
      answered = true;
      if (message.ok) resolve(message.result as ResultOf<T>);
      else reject(new Error(`load process failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`load process exited with ${code} before answering`));
    });
    child.send(task);
  });
}
