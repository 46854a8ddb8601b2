import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server for a fake processor; `close` drops open connections too. */
export async function listen(handler: (request: IncomingMessage, body: string, response: ServerResponse) => unknown) {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      Promise.resolve(handler(request, Buffer.concat(chunks).toString('utf8'), response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** Faults a test asks for, each used up by the next matching call. */
export class FaultQueue {
  private readonly pending: Array<{ kind: 'status'; status: number } | { kind: 'hang' }> = [];
  /** Answer the next call with this HTTP status, without processing it. */
  failNext(status: number) {
    this.pending.push({ kind: 'status', status });
  }
  /** Process the next call but never answer it (the client times out). */
  hangNext() {
    this.pending.push({ kind: 'hang' });
  }
  take() {
    return this.pending.shift();
  }
}
