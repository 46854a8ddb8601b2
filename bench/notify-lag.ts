import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { BusinessCode } from '../src/domain/errors.ts';
import { OrderStatus } from '../src/domain/order-status.ts';
import { checkoutFields, merchantHeaders, signedJson, uniqueTradeNo, type BenchMerchant } from './merchant-request.ts';
import { startTimingReceiver } from './receiver.ts';
import { sleep } from './stats.ts';

export interface NotifyLagResult {
  lagsMs: number[];
  directMs: number[];
  /** Closes whose notification did not arrive within the wait. */
  missing: number;
}

const WAIT_MS = 5_000;

/**
 * From the close API's answer (the final status is committed) to the merchant's receiver getting
 * the notification, one order at a time, with the gateway's workers running as shipped. The
 * floor: the same receiver getting a direct POST from here over a fresh connection, as the
 * notifier opens one per attempt.
 */
export async function measureNotifyLag(baseUrl: string, merchant: BenchMerchant, samples: number): Promise<NotifyLagResult> {
  const receiver = await startTimingReceiver();
  const result: NotifyLagResult = { lagsMs: [], directMs: [], missing: 0 };
  const post = async (path: string, fields: Record<string, string>) => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: merchantHeaders(merchant), body: signedJson(merchant, fields) });
    const body = (await response.json()) as { code: string };
    if (body.code !== BusinessCode.Success) throw new Error(`${path}: code ${body.code}`);
  };
  try {
    for (let i = 0; i < samples; i += 1) {
      const fields = checkoutFields({ notifyUrl: `${receiver.url}/notify` }) as Record<string, string>;
      await post('/v1/checkout', fields);
      // Arrivals at random moments relative to the workers' loop, as real closes are.
      await sleep(Math.random() * 10);
      await post('/v1/checkout/close', { tradeNo: fields.tradeNo! });
      const answered = performance.now();
      const arrived = await receiver.arrival(fields.tradeNo!, WAIT_MS);
      if (arrived === undefined) result.missing += 1;
      else result.lagsMs.push(arrived - answered);
    }
    for (let i = 0; i < samples; i += 1) {
      const tradeNo = uniqueTradeNo();
      await sleep(Math.random() * 10);
      const started = performance.now();
      const client = new Client(receiver.url);
      const response = await client.request({ path: '/notify', method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ tradeNo, status: OrderStatus.Closed }) });
      await response.body.text();
      await client.close();
      const arrived = await receiver.arrival(tradeNo, WAIT_MS);
      if (arrived !== undefined) result.directMs.push(arrived - started);
    }
  } finally {
    await receiver.close();
  }
  return result;
}
