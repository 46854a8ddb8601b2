import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from './until.ts';

export interface Received {
  body: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  at: number;
  path: string;
}

export type Responder = (request: Received, index: number) => { status?: number; body?: string; delayMs?: number; headers?: Record<string, string> };

/** A merchant's notify endpoint on 127.0.0.1 that records what it receives and answers as told. */
export async function startReceiver(respond: Responder = () => ({ body: 'OK' })) {
  const received: Received[] = [];
  let answered = 0;
  let responder = respond;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, string> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {}
      const entry: Received = { body, headers: req.headers, at: Date.now(), path: req.url ?? '/' };
      received.push(entry);
      for (const wake of waiters.splice(0)) wake();
      const answer = responder(entry, received.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.once('finish', () => (answered += 1));
        res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? 'OK');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith(next: Responder) {
      responder = next;
    },
    /** Resolves once `count` requests have arrived, or rejects after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    /** Resolves once `count` answers have been sent back (a delayed answer included), or rejects after `timeoutMs`. */
    waitForAnswers: (count: number, timeoutMs = 10_000) => until(() => answered >= count, timeoutMs, 10, `${count} answers sent`),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

