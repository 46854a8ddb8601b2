import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Client } from 'undici';
import { NotifyTargetError, resolveNotifyTarget, type ResolveHost } from './ssrf-guard.ts';

/**
 * One delivery attempt of a notification: POST the JSON body to the merchant's notifyUrl and
 * say whether the merchant acknowledged it (docs/api.md, "Asynchronous notification"). The caller (the outbox
 * dispatcher) records the returned attempt as a row and decides on a retry with schedule.ts.
 */

export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;
export const DEFAULT_RESPONSE_BODY_LIMIT = 4_096;

/** What one attempt did; every field is meant for the attempt log row. */
export interface DeliveryAttempt {
  /** True only for HTTP 2xx with a body of `OK` or `success` (case and surrounding space ignored). */
  acknowledged: boolean;
  /** Set whenever the merchant answered with a status line, even a failing one. */
  httpStatus?: number;
  /** From the start of the attempt (name resolution included) to its end. */
  latencyMs: number;
  /** The start of the response body, at most the body limit, decoded as UTF-8. */
  bodyExcerpt?: string;
  /** Why the attempt is not acknowledged, in one line; absent when acknowledged. */
  error?: string;
}

export interface DeliverOptions {
  /** NOTIFY_ALLOW_PRIVATE: skip the private-address guard. */
  allowPrivate: boolean;
  /** The whole attempt (resolve, connect, send, read) ends after this; default 10 s. */
  timeoutMs?: number;
  /** Response bytes read at most; the rest is not read. Default 4 KiB. */
  responseBodyLimit?: number;
  resolve?: ResolveHost;
}

const ACKNOWLEDGEMENTS = new Set(['ok', 'success']);

/** Whether a response body acknowledges a notification. */
export const isAcknowledgement = (body: string) => ACKNOWLEDGEMENTS.has(body.trim().toLowerCase());

/**
 * Delivers `body` (the JSON text of a built notification) to `notifyUrl`. Never throws for
 * anything the network or the merchant does: refusals, timeouts, connection errors and bad
 * answers all come back as an unacknowledged attempt with `error` set.
 *
 * The connection goes to the address the guard checked, never to a second DNS answer, while
 * the Host header and the TLS server name (SNI and certificate check) keep the URL's name.
 * Redirects are not followed: a 3xx is a failure, as a redirect could point anywhere.
 */
export async function deliverNotification(notifyUrl: string, body: string, options: DeliverOptions): Promise<DeliveryAttempt> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const limit = options.responseBodyLimit ?? DEFAULT_RESPONSE_BODY_LIMIT;
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  let client: Client | undefined;
  let httpStatus: number | undefined;
  let bodyExcerpt: string | undefined;
  try {
    const target = await Promise.race([
      resolveNotifyTarget(notifyUrl, { allowPrivate: options.allowPrivate, resolve: options.resolve }),
      aborted(deadline.signal),
    ]);
    // undici is loaded by the first delivery, not at start (docs/performance.md, "Start-up").
    const { buildConnector, Client } = await import('undici');
    const connect = buildConnector({ timeout: timeoutMs });
    const servername = isIP(target.hostname) === 0 ? target.hostname : undefined;
    client = new Client(target.url.origin, {
      connect: (connectOptions, callback) => connect({ ...connectOptions, hostname: target.address, servername }, callback),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const response = await client.request({
      path: `${target.url.pathname}${target.url.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Payrail-Notify/1' },
      body,
      signal: deadline.signal,
    });
    httpStatus = response.statusCode;
    bodyExcerpt = await readAtMost(response.body, limit);

    if (httpStatus >= 300 && httpStatus < 400) {
      return { acknowledged: false, httpStatus, latencyMs: latencyMs(), bodyExcerpt, error: `redirect (HTTP ${httpStatus}) not followed` };
    }
    if (httpStatus < 200 || httpStatus >= 300) {
      return { acknowledged: false, httpStatus, latencyMs: latencyMs(), bodyExcerpt, error: `HTTP ${httpStatus}` };
    }
    if (!isAcknowledgement(bodyExcerpt)) {
      return { acknowledged: false, httpStatus, latencyMs: latencyMs(), bodyExcerpt, error: 'response body is not OK or success' };
    }
    return { acknowledged: true, httpStatus, latencyMs: latencyMs(), bodyExcerpt };
  } catch (error) {
    const reason = deadline.signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error);
    return { acknowledged: false, httpStatus, latencyMs: latencyMs(), bodyExcerpt, error: reason };
  } finally {
    clearTimeout(timer);
    // Destroy rather than close: an unread remainder of a huge body must not be drained.
    client?.destroy().catch(() => {});
  }
}

/** Reads at most `limit` bytes of a body and stops reading there. */
async function readAtMost(stream: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const taken = chunk.subarray(0, limit - size);
    chunks.push(taken);
    size += taken.length;
    if (size >= limit) break; // leaving the loop destroys the stream
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

function describe(error: unknown): string {
  if (error instanceof NotifyTargetError) return error.message;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}
