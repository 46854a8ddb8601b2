import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A merchant's notify endpoint on 127.0.0.1 that answers OK and notes when each tradeNo arrived
 * (performance.now(), the clock the bench measures from).
 */
export async function startTimingReceiver() {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      let tradeNo = '';
      try {
        tradeNo = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).tradeNo ?? '');
      } catch {}
      if (!arrivals.has(tradeNo)) arrivals.set(tradeNo, at);
      waiters.get(tradeNo)?.(at);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** When the first POST for `tradeNo` arrived; undefined if it does not within `timeoutMs`. */
    arrival(tradeNo: string, timeoutMs: number): Promise<number | undefined> {
      const known = arrivals.get(tradeNo);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(tradeNo);
          resolve(undefined);
        }, timeoutMs);
        waiters.set(tradeNo, (at) => {
          clearTimeout(timer);
          waiters.delete(tradeNo);
          resolve(at);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
