import { lazyHttpAgent } from '../http-agent.ts';
import { payoutsNotSupported, unknown, type Acquirer, type AuthorizationResult, type RefundResult, type Unknown } from '../acquirer.ts';
import { authorizationOf, classifyNetworkError, classifyStatus, refundOf } from '../classify-call.ts';
import { parseJson, isJsonObject } from '../json.ts';

/**
 * TEMPLATE: copy this folder to src/acquirers/<name>/ and follow src/acquirers/README.md, "Adding a
 * connector". Every method is build → send with a fixed timeout → map; anything unclear is
 * `unknown`, never success. Split build-request.ts and map-status.ts out as the processor grows.
 */
export interface TemplateAcquirerOptions {
  apiKey: string;
  /** The processor's base URL (a local test server in tests). */
  apiUrl: string;
  /** Fixed limit per call. Default 10 000 ms. */
  timeoutMs?: number;
}

interface Answer {
  status: number;
  body: unknown;
}


/** TEMPLATE: the processor's sale answer with HTTP 2xx. Only an explicit success is approved. */
function mapSale(body: unknown): AuthorizationResult {
  if (!isJsonObject(body) || typeof body.status !== 'string') return unknown('the processor answered a body we do not understand');
  if (body.status === 'approved' && typeof body.id === 'string') return { outcome: 'approved', reference: body.id };
  if (body.status === 'declined') return { outcome: 'declined', reason: 'DO_NOT_HONOR' };
  return unknown(`the processor answered status ${body.status}`);
}

export function createTemplateAcquirer(options: TemplateAcquirerOptions): Acquirer {
  const base = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const http = lazyHttpAgent(timeoutMs);

  async function send(path: string, body: Record<string, unknown>, idempotencyKey: string): Promise<Answer> {
    const { agent, request } = await http.get();
    const response = await request(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}`, 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.statusCode, body: parseJson(await response.body.text()) };
  }

  async function exchange<T>(call: () => Promise<Answer>, map: (answer: Answer) => T): Promise<T | Unknown> {
    try {
      return map(await call());
    } catch (error) {
      return classifyNetworkError(error, timeoutMs);
    }
  }

  return {
    name: 'template',
    ...payoutsNotSupported,
    authorize: (sale) =>
      exchange(
        // TEMPLATE: the one place the card number and CVC are revealed: into the request body.
        () => send('/sales', { amount: sale.amount, currency: sale.currency, number: sale.card.number.reveal(), cvc: sale.card.cvc.reveal() }, sale.idempotencyKey),
        (answer) => (answer.status < 300 ? mapSale(answer.body) : authorizationOf(classifyStatus(answer.status, 'the processor'))),
      ),
    completeChallenge: async () => ({ outcome: 'error', reason: 'CHALLENGE_NOT_FOUND', retryable: false }),
    // TEMPLATE: ask the processor for what our key did; until then the reconciler keeps asking.
    queryAuthorization: async () => unknown('the template has no query yet'),
    refund: (refund) =>
      exchange(
        () => send(`/sales/${encodeURIComponent(refund.reference)}/refunds`, { amount: refund.amount }, refund.idempotencyKey),
        (answer): RefundResult =>
          answer.status < 300 && isJsonObject(answer.body) && typeof answer.body.id === 'string' ? { outcome: 'succeeded', reference: answer.body.id } : refundOf(classifyStatus(answer.status, 'the processor')),
      ),
    queryRefund: async () => unknown('the template has no refund query yet'),
    close: () => http.close(),
  };
}
