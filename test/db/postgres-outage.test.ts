import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { alive, startGatewayProcess } from '../support/gateway-process.ts';
import { checkoutFields, signedBody, type TestMerchant } from '../support/test-gateway.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createMerchant } from '../../src/store/merchants.ts';
import { loadMasterKey } from '../../src/secrets/master-key.ts';
import { pause, until } from '../support/until.ts';

/**
 * Two real `payrail start` processes on a PostgreSQL server of their own that is restarted and
 * killed (SIGKILL of the postmaster) under load: the processes stay up, every answer during the
 * outage is an envelope or a clear page, each outage is logged once per process, the gateway
 * creates orders again soon after the database is back, and no order answered 0000 is missing.
 */
interface Node {
  name: string;
  child: ChildProcess;
  base: string;
  output: () => string;
}

interface Answer {
  node: string;
  tradeNo: string;
  ms: number;
  status?: number;
  code?: string;
  problem?: string;
}

describe('PostgreSQL restarted or killed under load', () => {
  const masterKey = randomBytes(32).toString('hex');
  let server: PostgresServer;
  let databaseUrl: string;
  let handle: DatabaseHandle;
  let merchant: TestMerchant;
  let paymentToken: string;
  const nodes: Node[] = [];
  const dataDirs: string[] = [];
  const acknowledged: string[] = [];
  const outagesSeen = new Map<string, number>();

  async function startNode(name: string): Promise<Node> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `payrail-outage-${name}-`));
    dataDirs.push(dataDir);
    const env = { ...process.env, DATABASE_URL: databaseUrl, PAYRAIL_MASTER_KEY: masterKey, PAYRAIL_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const node = { name, ...(await startGatewayProcess(env, 2, 90_000)) };
    nodes.push(node);
    outagesSeen.set(name, 0);
    return node;
  }

  /** One create; what came back, and how long it took. */
  async function create(node: Node): Promise<Answer> {
    const fields = checkoutFields();
    const started = Date.now();
    const answer: Answer = { node: node.name, tradeNo: String(fields.tradeNo), ms: 0 };
    try {
      const response = await fetch(`${node.base}/v1/checkout`, {
        method: 'POST',
        headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
        body: JSON.stringify(signedBody(fields, merchant.appSecret)),
        signal: AbortSignal.timeout(15_000),
      });
      answer.status = response.status;
      const text = await response.text();
      try {
        const body = JSON.parse(text);
        answer.code = body.code;
        if (body.code === '0000') acknowledged.push(answer.tradeNo);
        if (typeof body.msg !== 'string' || typeof body.success !== 'boolean') answer.problem = `not an envelope: ${text.slice(0, 200)}`;
      } catch {
        answer.problem = `not JSON: ${text.slice(0, 200)}`;
      }
    } catch (error) {
      answer.problem = `no answer: ${(error as Error).message}`;
    }
    answer.ms = Date.now() - started;
    return answer;
  }

  /** Creates orders from 6 loops spread over `targets` until stopped. */
  function load(targets: Node[]) {
    const answers: Answer[] = [];
    let running = true;
    const loops = Array.from({ length: 6 }, async (_, i) => {
      while (running) {
        answers.push(await create(targets[i % targets.length]!));
        await pause(5);
      }
    });
    return {
      answers,
      async stop() {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  /** How long after the database is back each node takes to create an order again. */
  async function recoveryMs(targets: Node[], backAt: number): Promise<number[]> {
    return Promise.all(
      targets.map(async (node) => {
        for (;;) {
          if ((await create(node)).code === '0000') return Date.now() - backAt;
          if (Date.now() - backAt > 10_000) return Infinity;
          await pause(10);
        }
      }),
    );
  }

  beforeAll(async () => {
    server = await startPostgres();
    databaseUrl = server.url();
    handle = await openDatabase({ databaseUrl, dataDir: os.tmpdir() });
    await migrateToLatest(handle.db);
    merchant = await createMerchant(handle.db, loadMasterKey(masterKey, os.tmpdir()), { name: 'Outage Store', rateLimitPerSecond: 100_000 });
    // Both processes run throughout; the single-node scenarios send their traffic through one.
    await Promise.all([startNode('a'), startNode('b')]);
    nodes.sort((x, y) => x.name.localeCompare(y.name));
    const created = await create(nodes[0]!);
    expect(created.code).toBe('0000');
    const order = await handle.db.selectFrom('orders').select('payment_token').where('trade_no', '=', created.tradeNo).executeTakeFirstOrThrow();
    paymentToken = order.payment_token!;
  }, 200_000);

  afterAll(async () => {
    for (const node of nodes) if (alive(node.child)) node.child.kill('SIGKILL');
    await handle?.close();
    await server?.stop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const scenarios: { nodes: number; outage: 'restart' | 'SIGKILL' }[] = [
    { nodes: 1, outage: 'restart' },
    { nodes: 1, outage: 'SIGKILL' },
    { nodes: 2, outage: 'restart' },
    { nodes: 2, outage: 'SIGKILL' },
  ];

  it.each(scenarios)('traffic through $nodes node(s), PostgreSQL $outage: processes stay up, answer envelopes and clear pages, recover', async (scenario) => {
    const targets = nodes.slice(0, scenario.nodes);
    const traffic = load(targets);
    await until(() => traffic.answers.filter((a) => a.code === '0000').length >= 10, 30_000, 25, 'ten orders created before the outage');

    if (scenario.outage === 'restart') await server.stopFast();
    else await server.killPostmaster();
    for (const node of nodes) outagesSeen.set(node.name, outagesSeen.get(node.name)! + 1);
    const beforeOutage = traffic.answers.length;
    await until(async () => (await Promise.all(nodes.map(async (node) => (await fetch(`${node.base}/readyz`)).status))).every((status) => status === 503), 10_000, 25, 'every node not ready');

    // While the database is away: the probes, the cashier and the API of each process answer clearly.
    for (const node of nodes) {
      expect((await fetch(`${node.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${node.base}/readyz`)).status).toBe(503);
      const page = await fetch(`${node.base}/checkout?data=${paymentToken}`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('Try again in a moment');
      const during = await create(node);
      expect(during).toMatchObject({ status: 500, code: '5000' });
      expect(during.ms).toBeLessThan(1_000);
    }
    await until(() => traffic.answers.slice(beforeOutage).some((a) => a.code === '5000'), 10_000, 25, 'the load answered 5000 during the outage');

    await server.start();
    const backAt = Date.now();
    const recovered = await recoveryMs(targets, backAt);
    const afterRecovery = traffic.answers.length;
    await until(() => traffic.answers.slice(afterRecovery).filter((a) => a.code === '0000').length >= 10, 30_000, 25, 'ten orders created after recovery');
    await traffic.stop();

    const answers = traffic.answers;
    const problems = answers.filter((a) => a.problem || (a.code !== '0000' && a.code !== '5000'));
    expect(problems, JSON.stringify(problems.slice(0, 5))).toEqual([]);
    expect(answers.filter((a) => a.code === '5000').length).toBeGreaterThan(0);
    for (const node of nodes) expect(alive(node.child), node.output().slice(-2_000)).toBe(true);
    for (const node of targets) expect((await fetch(`${node.base}/readyz`)).status).toBe(200);
    const slowest = Math.max(...answers.filter((a) => a.code === '5000').map((a) => a.ms));
    console.info(
      `${scenario.nodes} node(s), ${scenario.outage}: ${answers.length} creates (${answers.filter((a) => a.code === '5000').length} answered 5000, slowest ${slowest} ms); ` +
        `creating again ${recovered.join(' / ')} ms after PostgreSQL accepted connections`,
    );
    expect(Math.max(...recovered)).toBeLessThan(1_000);
  });

  it('loses no order answered 0000, and logs each outage once per process', async () => {
    expect(acknowledged.length).toBeGreaterThan(50);
    const stored = await handle.db.selectFrom('orders').select('trade_no').where('trade_no', 'in', acknowledged).execute();
    expect(stored.length).toBe(acknowledged.length);

    for (const node of nodes) {
      const lines = node
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      const down = lines.filter((line) => line.msg.startsWith('database unreachable'));
      const up = lines.filter((line) => line.msg === 'database reachable again');
      expect(down.length, node.name).toBe(outagesSeen.get(node.name));
      expect(up.length, node.name).toBe(outagesSeen.get(node.name));
      // Nothing else was worth an error line: no request, job or sweep logged its own.
      const otherErrors = lines.filter((line) => line.level >= 50 && !line.msg.startsWith('database unreachable'));
      expect(otherErrors.map((line) => line.msg)).toEqual([]);
    }
  });
});
