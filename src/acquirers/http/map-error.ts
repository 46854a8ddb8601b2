import { unknown, type Unknown } from '../acquirer.ts';

/**
 * A call that threw (refused connection, reset, dropped response, timeout, oversized answer)
 * is `unknown`: the request may have been processed before the trouble. The detail names the
 * kind of trouble for operators; it never echoes the request.
 */
export function mapError(error: unknown, timeoutMs: number): Unknown {
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
