import { checkoutFields, signedJson, type BenchMerchant } from './merchant-request.ts';
import { hammer, type LoadShape } from './hammer.ts';
import { FLOOR_SECRET } from './floor.ts';

/** The floor's load: the same signed checkout bodies the gateway gets, so the load generator works as hard. */
export async function loadFloor(url: string, shape: LoadShape, onMeasuring: () => void) {
  const signer: BenchMerchant = { merchantNo: '0000000000', appSecret: FLOOR_SECRET };
  const result = await hammer(
    {
      url,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: signedJson(signer, checkoutFields()) }),
        },
      ],
    },
    shape,
    onMeasuring,
  );
  return { seconds: result.duration, succeeded: result['2xx'], other: result.non2xx, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}
