/**
 * The pay path's customers in a process of their own, so that the bench's process CPU is the
 * server's alone (the gateway or the floor). bench/pay-path.ts forks this file, sends it the
 * orders to pay, waits for `ready`, opens its measured window, then sends `go`; the answer comes
 * back once every order has been paid or has failed.
 */
import { ONE_CARD, distinctCustomer, payOrder } from './pay-path-client.ts';
import { percentile } from './stats.ts';

export interface CustomersTask {
  baseUrl: string;
  orders: { token: string; orderNo: string }[];
  /** `many`: a card and an address per customer; `one`: one card from one address. */
  cards: 'many' | 'one';
  customers: number;
}

export interface CustomersResult {
  seconds: number;
  postP99Ms: number;
  failed: number;
}

export type CustomersMessage = { phase: 'ready' } | { ok: true; result: CustomersResult } | { ok: false; error: string };

async function payAll(task: CustomersTask): Promise<CustomersResult> {
  const orders = [...task.orders];
  const customerOf = task.cards === 'one' ? () => ONE_CARD : distinctCustomer;
  const postMs: number[] = [];
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: task.customers }, async () => {
      for (let order = orders.pop(); order; order = orders.pop()) {
        try {
          postMs.push(await payOrder(task.baseUrl, order, customerOf()));
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, postP99Ms: Math.round(percentile(postMs, 99)), failed };
}

if (process.send) {
  process.once('message', (task: CustomersTask) => {
    process.once('message', () => {
      payAll(task).then(
        (result) => process.send!({ ok: true, result } satisfies CustomersMessage, () => process.exit(0)),
        (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message } satisfies CustomersMessage, () => process.exit(1)),
      );
    });
    process.send!({ phase: 'ready' } satisfies CustomersMessage);
  });
}
