import { Agent, request } from 'undici';
import type { Acquirer, Unknown } from '../acquirer.ts';
import {
  buildAuthorize,
  buildAuthorizeStored,
  buildCompleteChallenge,
  buildDeleteStoredCard,
  buildPayout,
  buildQueryPayout,
  buildQueryAuthorization,
  buildQueryRefund,
  buildRefund,
  type WireCall,
} from './build-request.ts';
import { classifyNetworkError } from '../classify-call.ts';
import { mapAuthorization, mapAuthorizationQuery, mapDeleteStoredCard, mapPayout, mapPayoutQuery, mapRefund, mapRefundQuery } from './map-status.ts';
import { parseJson } from '../json.ts';
import type { WireResponse } from './parse-response.ts';

export interface HttpAcquirerOptions {
  /** Where the acquirer listens, e.g. `http://127.0.0.1:4100`. */
  baseUrl: string;
  /** Fixed limit for a whole call, connect to last byte. Default 10 000 ms. */
  timeoutMs?: number;
  /** Answers longer than this are not read (and are `unknown`). Default 64 KiB. */
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The connector for the Payrail test acquirer's HTTP protocol (wire.ts), served by
 * `payrail acquirer-sim`. Each method is build request → send → map status, and any throw on
 * the way is mapped to `unknown`.
 */
export function createHttpAcquirer(options: HttpAcquirerOptions): Acquirer {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  async function send(call: WireCall): Promise<WireResponse> {
    const response = await request(baseUrl + call.path, {
      method: call.method,
      headers: { accept: 'application/json', ...(call.body ? { 'content-type': 'application/json' } : {}) },
      body: call.body ? JSON.stringify(call.body) : undefined,
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readCapped(response.body, maxResponseBytes);
    return { status: response.statusCode, body: parseJson(text) };
  }

  /** Sends a call and maps its answer; a call that throws becomes `unknown`. */
  async function exchange<T>(call: WireCall, map: (response: WireResponse) => T): Promise<T | Unknown> {
    try {
      return map(await send(call));
    } catch (error) {
      return classifyNetworkError(error, timeoutMs);
    }
  }

  return {
    name: 'http',
    paysOut: true,
    authorize: (authorization) => exchange(buildAuthorize(authorization), mapAuthorization),
    completeChallenge: (challengeId, code) => exchange(buildCompleteChallenge(challengeId, code), mapAuthorization),
    queryAuthorization: (idempotencyKey) => exchange(buildQueryAuthorization(idempotencyKey), mapAuthorizationQuery),
    refund: (refund) => exchange(buildRefund(refund), mapRefund),
    queryRefund: (idempotencyKey) => exchange(buildQueryRefund(idempotencyKey), mapRefundQuery),
    payout: (payout) => exchange(buildPayout(payout), mapPayout),
    queryPayout: (idempotencyKey) => exchange(buildQueryPayout(idempotencyKey), mapPayoutQuery),
    authorizeStored: (authorization) => exchange(buildAuthorizeStored(authorization), mapAuthorization),
    deleteStoredCard: (card) => exchange(buildDeleteStoredCard(card), mapDeleteStoredCard),
    close: () => agent.close(),
  };
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw Object.assign(new Error('response too large'), { code: 'RESPONSE_TOO_LARGE' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
