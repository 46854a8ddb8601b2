/**
 * The load generator's own process. On a 2-core machine the load must not share an event loop
 * with the server it measures, so run.ts forks this file for each load, sends it one task, and
 * gets one result back.
 */
import { loadCreateCheckout } from './create-checkout.ts';
import { loadFloor } from './floor-load.ts';
import { runPaymentFlow } from './payment-flow.ts';
import type { LoadTask } from './load.ts';

async function run(task: LoadTask) {
  switch (task.kind) {
    case 'floor':
      return loadFloor(task.url, task.shape);
    case 'create-checkout':
      return loadCreateCheckout(task.baseUrl, task.merchant, task.shape);
    case 'payment-flow':
      return runPaymentFlow(task.baseUrl, task.merchant, task.options);
  }
}

process.once('message', (task: LoadTask) => {
  run(task).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
