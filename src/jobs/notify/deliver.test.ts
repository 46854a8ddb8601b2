import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotification, isAcknowledgement } from './deliver.ts';
import type { ResolveHost } from './ssrf-guard.ts';

// A merchant's receiver on loopback, one path per behaviour.
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
let connections = 0;
let server: Server;
let base: string;
let port: number;

const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.end('ok \r\n'),
  '/success': (res) => res.end('SUCCESS'),
  '/nope': (res) => res.end('nope'),
  '/empty': (res) => res.writeHead(204).end(),
  '/error': (res) => res.writeHead(500).end('OK'),
  '/redirect': (res) => res.writeHead(302, { location: `${base}/ok` }).end(),
  '/slow': (res) => {
    setTimeout(() => res.end('OK'), 3_000).unref();
  },
  // Never ends: a client that reads the whole body would hang here.
  '/endless': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = JSON.stringify({ notifyType: 'PAYMENT', tradeNo: 'T1', sign: 'abc' });
// Generous: the first delivery also loads the HTTP client, which on a loaded machine can take a second.
const dev = { allowPrivate: true, timeoutMs: 5_000 };

describe('what counts as an acknowledgement', () => {
  it('is OK or success, ignoring case and surrounding white space, and nothing else', () => {
    for (const yes of ['OK', 'ok', ' Ok\n', 'success', 'SUCCESS', '\tSuccess \r\n', '\uFEFFOK']) expect(isAcknowledgement(yes), yes).toBe(true);
    for (const no of ['', 'OKAY', 'o k', 'ok.', '"OK"', '{"code":"OK"}', 'successful', 'nope']) expect(isAcknowledgement(no), no).toBe(false);
  });
});

describe('delivering a notification to a real receiver', () => {
  it('acknowledges HTTP 200 with "ok " and records status, latency and excerpt', async () => {
    const attempt = await deliverNotification(`${base}/ok`, body, dev);
    expect(attempt).toMatchObject({ acknowledged: true, httpStatus: 200, bodyExcerpt: 'ok \r\n' });
    expect(attempt.error).toBeUndefined();
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    expect(attempt.latencyMs).toBeLessThan(dev.timeoutMs);
  });

  it('acknowledges HTTP 200 with "SUCCESS"', async () => {
    expect(await deliverNotification(`${base}/success`, body, dev)).toMatchObject({ acknowledged: true, httpStatus: 200 });
  });

  it('POSTs the body as JSON, keeping the query string', async () => {
    await deliverNotification(`${base}/ok?shop=1`, body, dev);
    // The query string is part of the path, so this one is a 404 at our receiver; the request is what matters.
    const request = received.at(-1)!;
    expect(request.path).toBe('/ok?shop=1');
    expect(request.body).toBe(body);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('fails HTTP 200 with a body that is not an acknowledgement, and HTTP 204 with none', async () => {
    expect(await deliverNotification(`${base}/nope`, body, dev)).toEqual({
      acknowledged: false,
      httpStatus: 200,
      latencyMs: expect.any(Number),
      bodyExcerpt: 'nope',
      error: 'response body is not OK or success',
    });
    expect(await deliverNotification(`${base}/empty`, body, dev)).toMatchObject({ acknowledged: false, httpStatus: 204, bodyExcerpt: '' });
  });

  it('fails HTTP 500 even when the body says OK', async () => {
    expect(await deliverNotification(`${base}/error`, body, dev)).toMatchObject({
      acknowledged: false,
      httpStatus: 500,
      bodyExcerpt: 'OK',
      error: 'HTTP 500',
    });
  });

  it('does not follow a redirect: a 302 is a failure and the target is never called', async () => {
    const before = received.length;
    const attempt = await deliverNotification(`${base}/redirect`, body, dev);
    expect(attempt).toMatchObject({ acknowledged: false, httpStatus: 302, error: 'redirect (HTTP 302) not followed' });
    expect(received.slice(before).map((r) => r.path)).toEqual(['/redirect']);
  });

  it('gives up at the timeout and says so', async () => {
    const attempt = await deliverNotification(`${base}/slow`, body, { allowPrivate: true, timeoutMs: 200 });
    expect(attempt).toMatchObject({ acknowledged: false, error: 'timed out after 200 ms' });
    expect(attempt.httpStatus).toBeUndefined();
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(190);
    expect(attempt.latencyMs).toBeLessThan(1_500);
  });

  it('reads a huge body only up to the limit, then stops reading', async () => {
    const attempt = await deliverNotification(`${base}/endless`, body, { ...dev, responseBodyLimit: 4_096 });
    expect(attempt).toMatchObject({ acknowledged: false, httpStatus: 200, error: 'response body is not OK or success' });
    expect(attempt.bodyExcerpt).toBe('x'.repeat(4_096));
    expect(attempt.latencyMs).toBeLessThan(dev.timeoutMs);
  });

  it('reports a refused connection without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const attempt = await deliverNotification(`http://127.0.0.1:${closedPort}/`, body, dev);
    expect(attempt.acknowledged).toBe(false);
    expect(attempt.httpStatus).toBeUndefined();
    expect(attempt.error).toMatch(/ECONNREFUSED/);
  });
});

describe('the private-address guard during delivery', () => {
  it('refuses 127.0.0.1 when private targets are forbidden, without connecting', async () => {
    const before = connections;
    const attempt = await deliverNotification(`${base}/ok`, body, { allowPrivate: false });
    expect(attempt).toMatchObject({ acknowledged: false, error: `127.0.0.1 resolves to 127.0.0.1 (loopback), which is not allowed` });
    expect(attempt.httpStatus).toBeUndefined();
    expect(connections).toBe(before);
  });

  it('refuses a name that resolves to loopback, without connecting', async () => {
    const before = connections;
    const resolve: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const attempt = await deliverNotification(`http://merchant.test:${port}/ok`, body, { allowPrivate: false, resolve });
    expect(attempt.error).toMatch(/merchant\.test resolves to 127\.0\.0\.1 \(loopback\)/);
    expect(connections).toBe(before);
  });

  it('refuses a scheme other than http(s) as an attempt, not an exception', async () => {
    expect(await deliverNotification('file:///etc/passwd', body, dev)).toMatchObject({ acknowledged: false, error: expect.stringMatching(/scheme/) });
    expect(await deliverNotification('not a url', body, dev)).toMatchObject({ acknowledged: false, error: expect.stringMatching(/not a valid/) });
  });

  it('connects to the address it checked, once, while the Host header keeps the name (no DNS rebinding)', async () => {
    const answers = ['127.0.0.1', '10.255.255.1'];
    let lookups = 0;
    const rebinding: ResolveHost = async () => [{ address: answers[Math.min(lookups++, 1)]!, family: 4 }];
    const attempt = await deliverNotification(`http://merchant.test:${port}/ok`, body, { ...dev, resolve: rebinding });
    expect(attempt).toMatchObject({ acknowledged: true, httpStatus: 200 });
    expect(lookups).toBe(1);
    expect(received.at(-1)!.headers.host).toBe(`merchant.test:${port}`);
  });

  it('gives up on a resolver that never answers at the timeout', async () => {
    const hanging: ResolveHost = () => new Promise(() => {});
    const attempt = await deliverNotification('http://slow-dns.test/', body, { allowPrivate: false, timeoutMs: 100, resolve: hanging });
    expect(attempt).toMatchObject({ acknowledged: false, error: 'timed out after 100 ms' });
  });
});

// TLS: the connection goes to the checked address but SNI and the certificate check use the name.
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('delivering over https to the checked address', () => {
  let tls: TlsServer;
  let tlsPort: number;
  let dir: string;
  const serverNames: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payrail-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=merchant.test'],
      { stdio: 'ignore' },
    );
    tls = createTlsServer(
      {
        key: readFileSync(join(dir, 'key.pem')),
        cert: readFileSync(join(dir, 'cert.pem')),
        // Called with the name the client sent in its hello, before any certificate check.
        SNICallback: (name, done) => {
          serverNames.push(name);
          done(null, undefined);
        },
      },
      (_req, res) => res.end('OK'),
    );
    tls.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsPort = (tls.address() as AddressInfo).port;
  });

  afterAll(async () => {
    tls.closeAllConnections();
    await new Promise((resolve) => tls.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the URL name as SNI and refuses a certificate it cannot trust', async () => {
    const resolve: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const attempt = await deliverNotification(`https://merchant.test:${tlsPort}/notify`, body, { ...dev, resolve });
    expect(attempt.acknowledged).toBe(false);
    expect(attempt.error).toMatch(/self[- ]signed|SELF_SIGNED/i);
    expect(serverNames).toEqual(['merchant.test']);
  });
});
