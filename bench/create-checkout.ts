import type { AutocannonRequest } from 'autocannon';
import { BusinessCode } from '../src/domain/errors.ts';
import { checkoutFields, merchantHeaders, signedJson, type BenchMerchant } from './merchant-request.ts';
import { hammer, type LoadShape } from './hammer.ts';

export interface CheckoutLoadResult {
  seconds: number;
  /** 200 answers with code 0000: orders created. */
  succeeded: number;
  /** Everything else, by "HTTP status / business code". */
  other: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Hammers POST /v1/checkout with autocannon, every request signed afresh with its own tradeNo
 * (setupRequest runs before each request), and counts the answers by status and business code.
 */
export async function loadCreateCheckout(
  baseUrl: string,
  merchant: BenchMerchant,
  shape: LoadShape,
  onMeasuring: () => void,
): Promise<CheckoutLoadResult> {
  let counting = false;
  let succeeded = 0;
  const other: Record<string, number> = {};
  const request: AutocannonRequest = {
    method: 'POST',
    path: '/v1/checkout',
    headers: merchantHeaders(merchant),
    setupRequest: (req) => ({ ...req, body: signedJson(merchant, checkoutFields()) }),
    onResponse: (status, body) => {
      if (!counting) return;
      const code = /"code"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? '?';
      if (status === 200 && code === BusinessCode.Success) succeeded += 1;
      else other[`${status}/${code}`] = (other[`${status}/${code}`] ?? 0) + 1;
    },
  };
  // The warm-up's answers are not counted: only the measured window's.
  const result = await hammer({ url: baseUrl, requests: [request] }, shape, () => {
    counting = true;
    onMeasuring();
  });
  counting = false;
  return { seconds: result.duration, succeeded, other, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}
