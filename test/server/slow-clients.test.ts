import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { until } from '../support/until.ts';

/** Slow or vanishing clients: cut off in time, refused when oversize, and logged quietly. */
describe('slow clients', () => {
  let t: TestGateway;
  let port: number;
  const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
  beforeAll(async () => {
    const logTo = new Writable({ write(chunk, _encoding, done) { for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line)); done(); } });
    t = await startTestGateway('pglite', { REQUEST_TIMEOUT_MS: 1_500, LOG_LEVEL: 'info' }, { logTo });
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.gateway.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Opens a socket, writes `text`, and answers what came back and when the server closed it. */
  const talk = (text: string, options: { hangUpAfterMs?: number; waitMs?: number } = {}) =>
    new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
      if (options.hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), options.hangUpAfterMs);
      setTimeout(() => socket.destroy(), options.waitMs ?? 10_000);
    });

  it('closes a request whose body never finishes within REQUEST_TIMEOUT_MS', async () => {
    const head = `POST /v1/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nmerchantNo: ${t.merchant.merchantNo}\r\nContent-Length: 500\r\n\r\n{"tradeNo":`;
    const { closedAfterMs } = await talk(head, { waitMs: 8_000 });
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('refuses a chunked body with a huge chunk size with 413 and 8014', async () => {
    const head = 'POST /v1/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { answer } = await talk(`${head}7fffffff\r\n${'{'.repeat(20_000)}`, { waitMs: 5_000 });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"code":"8014"');
  });

  it('cuts off a chunked body that declares a huge chunk and trickles', async () => {
    const head = 'POST /v1/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { closedAfterMs } = await talk(`${head}7fffffff\r\n{"a":`, { waitMs: 8_000 });
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('logs a client that hangs up mid-body at info, without a stack', async () => {
    lines.length = 0;
    const head = `POST /v1/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"a":`;
    await talk(head, { hangUpAfterMs: 200 });
    // The server logs the hang-up once it has given up on the body: wait for that line, then look at all of them.
    await until(() => lines.some((line) => line.level === 30 && /hung up/.test(line.msg)), 10_000, 25, 'the hang-up log line');
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);
  });

  it('sets header and keep-alive timeouts on the server', () => {
    expect(t.gateway.app.server.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(t.gateway.app.server.keepAliveTimeout).toBe(5_000);
    expect(t.gateway.app.server.requestTimeout).toBe(1_500);
  });
});

describe('router errors under /v1', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
  });
  afterAll(() => t.close());

  it('answers the envelope with 8002 to a provider segment over the parameter limit (414)', async () => {
    const response = await t.gateway.app.inject({ method: 'POST', url: `/v1/${'p'.repeat(200)}/checkout`, payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ code: '8002', success: false, data: null });
  });

  it('answers the envelope with 8002 to a bad percent-encoding (400)', async () => {
    const response = await t.gateway.app.inject({ method: 'POST', url: '/v1/%E0%A4%A/checkout', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: '8002', success: false, data: null });
  });
});
