/**
 * The load generator's own process. On a 2-core machine the load must not share an event loop
 * with the server it measures, so run.ts forks this file for each load, sends it one task, and
 * gets one result back.
 */
import { loadCreateCheckout } from './create-checkout.ts';
import { loadFloor } from './floor-load.ts';
import { runPaymentFlow } from './payment-flow.ts';
import type { LoadTask } from './load.ts';
import { startOwnCpu } from './cpu.ts';

let loadCpu: (() => number) | undefined;

/** Tells the parent the measured window opens (it starts counting CPU), and starts counting ours. */
function measuring() {
  loadCpu = startOwnCpu();
  process.send!({ phase: 'measuring' });
}

async function run(task: LoadTask) {
  switch (task.kind) {
    case 'floor':
      return { ...(await loadFloor(task.url, task.shape, measuring)), loadCpuUs: loadCpu?.() ?? 0 };
    case 'create-checkout':
      return { ...(await loadCreateCheckout(task.baseUrl, task.merchant, task.shape, measuring)), loadCpuUs: loadCpu?.() ?? 0 };
    case 'payment-flow':
      return runPaymentFlow(task.baseUrl, task.merchant, task.options, measuring);
  }
}

process.once('message', (task: LoadTask) => {
  run(task).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
