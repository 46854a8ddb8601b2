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
  ? Awaited<ReturnType<typeof loadFloor>>
  : T extends { kind: 'create-checkout' }
    ? CheckoutLoadResult
    : FlowResult;

/** Runs one load in a separate process (load-process.ts) and answers what it measured. */
export function runLoad<T extends LoadTask>(task: T): Promise<ResultOf<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-process.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let answered = false;
    child.once('message', (message: { ok: boolean; result?: ResultOf<T>; error?: string }) => {
      answered = true;
      if (message.ok) resolve(message.result!);
      else reject(new Error(`load process failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`load process exited with ${code} before answering`));
    });
    child.send(task);
  });
}
