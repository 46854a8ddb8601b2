import { lazyHttpAgent } from '../http-agent.ts';
import { payoutsNotSupported, unknown, type Acquirer, type AuthorizationResult, type Unknown } from '../acquirer.ts';
import { classifyNetworkError } from '../classify-call.ts';
import { parseJson } from '../json.ts';
import { buildCancelByReference, buildDeleteStoredPaymentMethod, buildPayment, buildPaymentDetails, buildRefund, buildStoredPayment, type AdyenCall } from './build-request.ts';
import { mapDeleteStored, mapPayment, mapRefund, mapStoredPayment, withStoredCard, type AdyenResponse } from './map-status.ts';

export interface AdyenAcquirerOptions {
  apiKey: string;
  merchantAccount: string;
  /** ADYEN_CHECKOUT_URL, used as given (with its version; `http://` for a local test server). */
  checkoutUrl: string;
  /** Fixed limit per call. Default 10 000 ms. */
  timeoutMs?: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The Adyen connector over plain HTTP (undici): the official library refuses `http://` base URLs
 * and fixes its API version. Adyen has no query by our reference: an unknown attempt is settled by
 * its AUTHORISATION webhook, or cancelled by reference after a bound (`cancelByReference`).
 */
export function createAdyenAcquirer(options: AdyenAcquirerOptions): Acquirer {
  const base = options.checkoutUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const http = lazyHttpAgent(timeoutMs);

  async function send(call: AdyenCall): Promise<AdyenResponse> {
    const { agent, request } = await http.get();
    const response = await request(base + call.path, {
      method: call.method ?? 'POST',
      headers: {
        ...(call.body ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        'x-api-key': options.apiKey,
        ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}),
      },
      ...(call.body ? { body: JSON.stringify(call.body) } : {}),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_RESPONSE_BYTES) {
        response.body.destroy();
        throw Object.assign(new Error('response too large'), { code: 'RESPONSE_TOO_LARGE' });
      }
      chunks.push(chunk as Buffer);
    }
    return { status: response.statusCode, body: parseJson(Buffer.concat(chunks).toString('utf8')) };
  }

  /** Sends and maps; a throw is `unknown`, except a refused connection when `refused` says what that means. */
  async function exchange<T>(call: AdyenCall, map: (response: AdyenResponse) => T, refused?: T): Promise<T | Unknown> {
    try {
      return map(await send(call));
    } catch (error) {
      const { code, cause } = error as { code?: string; cause?: { code?: string } };
      if (refused && (code ?? cause?.code) === 'ECONNREFUSED') return refused;
      return classifyNetworkError(error, timeoutMs);
    }
  }

  // A refused connection sent nothing: no money can have moved, so another acquirer may try.
  const notReached: AuthorizationResult = { outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true };

  return {
    name: 'adyen',
    ...payoutsNotSupported,
    async authorize(sale) {
      // Saving the card: its expiry is the one we sent.
      const map = (response: AdyenResponse) => {
        const result = mapPayment(response, sale.idempotencyKey);
        return sale.saveFor ? withStoredCard(result, response.body, sale.card.expiry) : result;
      };
      return exchange(buildPayment(sale, options.merchantAccount), map, notReached);
    },
    // After a redirect the card is not at hand: a card saved with the sale has Adyen's expiryDate.
    completeChallenge: (challengeId, redirectResult) =>
      exchange(buildPaymentDetails(redirectResult), (response) => withStoredCard(mapPayment(response, challengeId), response.body)),
    async authorizeStored(sale) {
      return exchange(buildStoredPayment(sale, options.merchantAccount), (response) => mapStoredPayment(response, sale.idempotencyKey, sale.initiator), notReached);
    },
    deleteStoredCard: (card) => exchange(buildDeleteStoredPaymentMethod(card, options.merchantAccount), mapDeleteStored),
    queryAuthorization: async () => unknown('Adyen has no query by reference; waiting for its AUTHORISATION webhook'),
    refund: (refund) => exchange(buildRefund(refund, options.merchantAccount), mapRefund),
    queryRefund: async () => unknown('Adyen has no refund query; waiting for its REFUND webhook'),
    async cancelByReference(attemptId) {
      return exchange(buildCancelByReference(attemptId, options.merchantAccount), (response): { outcome: 'cancelled' } | Unknown => {
        const status = typeof response.body === 'object' && response.body !== null ? (response.body as { status?: unknown }).status : undefined;
        return (response.status === 201 || response.status === 200) && status === 'received' ? { outcome: 'cancelled' } : unknown(`Adyen answered the cancel with HTTP ${response.status}`);
      });
    },
    close: () => http.close(),
  };
}
