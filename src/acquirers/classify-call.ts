import { unknown, type AuthorizationResult, type PayoutResult, type RefundResult, type Unknown } from './acquirer.ts';

/**
 * What a processor's HTTP status, or a call that never got one, says about a money-moving call;
 * one reading shared by every connector that speaks HTTP (http/, stripe/, adyen/):
 * - `final`: the processor refused the request as sent and did nothing; trying again will not help;
 * - `retry`: it did nothing and said so; a fresh attempt (a fresh key) later may work;
 * - `unknown`: the money may or may not have moved; only a query with the same key can tell.
 * A 2xx is not classified here: its body is the processor's own answer, read by its connector.
 */
export type CallVerdict =
  | { verdict: 'final'; reason: 'INVALID_REQUEST' | 'UNAUTHORIZED'; detail: string }
  | { verdict: 'retry'; reason: 'RATE_LIMITED' | 'PROCESSING_ERROR'; detail: string }
  | { verdict: 'unknown'; detail: string };

export interface StatusReading {
  /** Whether 503 means "did nothing, try later" (Adyen documents it so); otherwise it is unknown like any 5xx. */
  unavailableDidNothing?: boolean;
}

/** A non-2xx status from `processor` (named in the detail, e.g. "Adyen answered HTTP 500"). */
export function classifyStatus(status: number, processor: string, reading: StatusReading = {}): CallVerdict {
  const detail = `${processor} answered HTTP ${status}`;
  switch (status) {
    case 400:
    case 422:
      return { verdict: 'final', reason: 'INVALID_REQUEST', detail };
    case 401:
    case 403:
      return { verdict: 'final', reason: 'UNAUTHORIZED', detail };
    case 429:
      return { verdict: 'retry', reason: 'RATE_LIMITED', detail };
    case 503:
      if (reading.unavailableDidNothing) return { verdict: 'retry', reason: 'PROCESSING_ERROR', detail };
      return { verdict: 'unknown', detail };
    default:
      return { verdict: 'unknown', detail };
  }
}

/** For `authorize` and `completeChallenge`: refusals are errors, retryable when the verdict is `retry`. */
export function authorizationOf(verdict: CallVerdict): AuthorizationResult {
  if (verdict.verdict === 'unknown') return unknown(verdict.detail);
  return { outcome: 'error', reason: verdict.reason, retryable: verdict.verdict === 'retry' };
}

/**
 * For `refund`: only a request refused as sent is a failed refund. A refusal of our credentials or
 * our pace has no refund reason of its own, so it stays `unknown` and the reconciler asks again.
 */
export function refundOf(verdict: CallVerdict): RefundResult {
  return verdict.verdict === 'final' && verdict.reason === 'INVALID_REQUEST' ? { outcome: 'failed', reason: 'INVALID_REQUEST' } : unknown(verdict.detail);
}

/** For `payout`: as for refunds. */
export function payoutOf(verdict: CallVerdict): PayoutResult {
  return verdict.verdict === 'final' && verdict.reason === 'INVALID_REQUEST' ? { outcome: 'failed', reason: 'INVALID_REQUEST' } : unknown(verdict.detail);
}

/**
 * A call that threw (refused connection, reset, dropped response, timeout, oversized answer)
 * is `unknown`: the request may have been processed before the trouble. The detail names the
 * kind of trouble for operators; it never echoes the request.
 */
export function classifyNetworkError(error: unknown, timeoutMs: number): Unknown {
  const { name, code } = describe(error);
  if (name === 'TimeoutError' || name === 'AbortError' || /TIMEOUT/.test(code)) {
    return unknown(`no answer from the acquirer within ${timeoutMs} ms`);
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return unknown('the acquirer closed the connection without answering');
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return unknown(`could not reach the acquirer (${code})`);
  }
  if (code === 'RESPONSE_TOO_LARGE') return unknown('the acquirer answered more than we read');
  return unknown(`call to the acquirer failed${code ? ` (${code})` : name ? ` (${name})` : ''}`);
}

function describe(error: unknown): { name: string; code: string } {
  if (typeof error !== 'object' || error === null) return { name: '', code: '' };
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  const own = { name: typeof name === 'string' ? name : '', code: typeof code === 'string' ? code : '' };
  // undici wraps the socket's error; the interesting code may sit on the cause.
  if (!own.code && cause) return { name: own.name, code: describe(cause).code };
  return own;
}
