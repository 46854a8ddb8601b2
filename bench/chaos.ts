/**
 * `npm run chaos`: several gateway processes on one PostgreSQL, paying through the HTTP acquirer
 * simulator with dropped answers and 5xx, while processes are killed with SIGKILL and restarted.
 * Afterwards it checks that no order was lost, no card charged twice, every final status
 * acknowledged by the merchant, the ledger balanced, and no card data stored or logged.
 * The last line on stdout is one JSON object (docs/benchmark.md); exit 0 only when all hold.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { freePort, startPostgres } from '../test/support/postgres-server.ts';
import { signedBody } from '../test/support/test-gateway.ts';
import { startAcquirerSimServer } from '../src/acquirer-sim/server.ts';

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const CYCLES = Number(args.get('cycles') ?? 20);
const NODES = Number(args.get('nodes') ?? 2);
const CUSTOMERS = Number(args.get('customers') ?? 8);
const CYCLE_MS = Number(args.get('cycle-ms') ?? 2_500);
const SEED = Number(args.get('seed') ?? Date.now() % 100_000);
const SENTINEL_PAN = '4242424242424242';
const SENTINEL_CVC = '919';
const MASTER_KEY = 'ab'.repeat(32);

let random = SEED;
const rand = () => ((random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-chaos-'));

function log(message: string) {
  process.stderr.write(`[chaos] ${message}\n`);
}

/** The merchant's server: acknowledges most notifications, fails some so retries happen. */
async function startMerchant() {
  const acknowledged = new Set<string>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (rand() < 0.1) return res.writeHead(500).end('busy');
      try {
        const body = JSON.parse(raw) as Record<string, string>;
        if (body.notifyType === 'PAYMENT') acknowledged.add(`${body.platFormTradeNo}:${body.status}`);
      } catch {}
      res.writeHead(200).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, acknowledged, close: () => server.close() };
}

interface Node {
  index: number;
  port: number;
  url: string;
  process?: ChildProcess;
}

async function main() {
  const postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE chaos');
  await admin.end();
  const databaseUrl = postgres.url('chaos');
  const acquirer = await startAcquirerSimServer({ dropRate: 0.05, failureRate5xx: 0.05, seed: SEED, simulator: { timeoutDelayMs: 200 } });
  const merchantServer = await startMerchant();

  const env = (dataDir: string, port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PAYRAIL_ENV: 'test',
    PAYRAIL_MASTER_KEY: MASTER_KEY,
    ACQUIRER: 'http',
    ACQUIRER_URL: acquirer.url,
    ACQUIRER_TIMEOUT_MS: '1500',
    NOTIFY_SCHEDULE: '200ms,500ms,1s,1s,2s,2s,3s,3s',
    NOTIFY_TIMEOUT_MS: '1000',
    ORDER_TTL_MINUTES: '30',
    LOG_LEVEL: 'info',
  });
  const cli = (...argv: string[]) => spawnSync('node', [path.join(root, 'bin/payrail.js'), ...argv], { env: env(path.join(work, 'cli'), 0), encoding: 'utf8' });
  const created = cli('merchant', 'create', '--name', 'Chaos Shop', '--rate-limit', '100000', '--json');
  if (created.status !== 0) throw new Error(`merchant create failed: ${created.stderr}`);
  const merchant = JSON.parse(created.stdout.trim()) as { merchantNo: string; appSecret: string };

  const nodes: Node[] = [];
  for (let index = 0; index < NODES; index++) {
    const port = await freePort();
    nodes.push({ index, port, url: `http://127.0.0.1:${port}` });
  }
  const start = async (node: Node) => {
    const dataDir = path.join(work, `node-${node.index}`);
    const logFile = fs.openSync(path.join(work, `node-${node.index}.log`), 'a');
    node.process = spawn('node', [path.join(root, 'bin/payrail.js'), 'start', '--workers', '4'], { env: env(dataDir, node.port), stdio: ['ignore', logFile, logFile] });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${node.url}/readyz`)).ok) return;
      } catch {}
      await sleep(100);
    }
    throw new Error(`node ${node.index} did not become ready`);
  };
  await Promise.all(nodes.map(start));

  const createdOrders = new Set<string>();
  let running = true;
  const cards = [SENTINEL_PAN, SENTINEL_PAN, '5555555555554444', '4000000000000002', '4000000000003063', '4000000000000119'];

  const customer = async () => {
    while (running) {
      const node = pick(nodes);
      try {
        const fields = signedBody(
          {
            tradeNo: `C${Date.now()}${Math.floor(rand() * 1e9)}`,
            amount: (1 + Math.floor(rand() * 50_000) / 100).toFixed(2),
            mobile: '15550100',
            email: 'buyer@example.com',
            userId: 'chaos',
            currency: 'USD',
            notifyUrl: `${merchantServer.url}/notify`,
            returnUrl: 'https://shop.example/return',
          },
          merchant.appSecret,
        );
        const answer = await (await fetch(`${node.url}/v1/checkout`, { method: 'POST', headers: { 'content-type': 'application/json', merchantNo: merchant.merchantNo }, body: JSON.stringify(fields) })).json();
        if (answer.code !== '0000') continue;
        createdOrders.add(answer.data.platFormTradeNo);
        if (rand() < 0.15) continue; // left unpaid: expires or gets closed below
        const payNode = pick(nodes);
        const token = new URL(answer.data.paymentUrl).searchParams.get('data')!;
        const page = await fetch(`${payNode.url}/checkout?data=${token}`);
        const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
        await fetch(`${payNode.url}/checkout/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ data: token, _csrf: csrf, lang: 'en', cardNumber: pick(cards), expiry: '12/34', cvc: SENTINEL_CVC, holder: 'Chaos Customer' }),
        });
        if (rand() < 0.1) {
          await fetch(`${pick(nodes).url}/v1/checkout/close`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', merchantNo: merchant.merchantNo },
            body: JSON.stringify(signedBody({ tradeNo: fields.tradeNo as string }, merchant.appSecret)),
          });
        }
      } catch {
        await sleep(50); // the node was killed under us; the next loop picks again
      }
    }
  };

  const load = Array.from({ length: CUSTOMERS }, customer);
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    await sleep(CYCLE_MS * (0.5 + rand()));
    const victim = pick(nodes);
    victim.process?.kill('SIGKILL');
    log(`cycle ${cycle}/${CYCLES}: killed node ${victim.index} (orders so far ${createdOrders.size})`);
    await start(victim);
  }
  running = false;
  await Promise.all(load);

  // Close what is still open so every order reaches a final status, then let the nodes settle.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`UPDATE orders SET expires_at = now() WHERE status = '0015'`);
  log('settling: waiting for attempts, expiry and notifications to finish');
  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = await db.query(`SELECT
        (SELECT count(*) FROM orders WHERE status = '0015')::int AS open,
        (SELECT count(*) FROM jobs WHERE status = 'pending')::int AS pending`);
    const { open: stillOpen, pending } = open.rows[0];
    const acked = (await db.query(`SELECT plat_form_trade_no, status FROM orders WHERE status <> '0015'`)).rows.filter(
      (row) => !merchantServer.acknowledged.has(`${row.plat_form_trade_no}:${row.status}`),
    ).length;
    if ((stillOpen === 0 && pending === 0 && acked === 0) || Date.now() > deadline) break;
    await sleep(500);
  }

  const orders = (await db.query(`SELECT plat_form_trade_no, status FROM orders`)).rows as { plat_form_trade_no: string; status: string }[];
  const existing = new Set(orders.map((order) => order.plat_form_trade_no));
  const lost = [...createdOrders].filter((order) => !existing.has(order)).length;

  const attemptOrder = new Map((await db.query(`SELECT id, order_no FROM payment_attempts`)).rows.map((row) => [row.id as string, row.order_no as string]));
  const chargesPerOrder = new Map<string, number>();
  for (const charge of await acquirer.simulator.store.charges()) {
    const order = attemptOrder.get(charge.idempotencyKey) ?? `unknown:${charge.idempotencyKey}`;
    chargesPerOrder.set(order, (chargesPerOrder.get(order) ?? 0) + 1);
  }
  const doubled = [...chargesPerOrder.values()].filter((count) => count > 1).length;
  const paid = orders.filter((order) => order.status === '0000');
  const chargedNotPaid = [...chargesPerOrder.keys()].filter((order) => !paid.some((p) => p.plat_form_trade_no === order)).length;
  const undelivered = orders.filter((order) => order.status !== '0015' && !merchantServer.acknowledged.has(`${order.plat_form_trade_no}:${order.status}`)).length;

  const unbalanced = (await db.query(`SELECT posting_id FROM ledger_entries GROUP BY posting_id HAVING sum(amount_cents) <> 0`)).rowCount ?? 0;
  const paymentPostings = Number((await db.query(`SELECT count(*) AS n FROM ledger_postings WHERE kind = 'payment'`)).rows[0].n);
  const ledgerOk = unbalanced === 0 && paymentPostings === paid.length;

  const cardPattern = new RegExp(`${SENTINEL_PAN}|cvc["'=: ]+${SENTINEL_CVC}`, 'i');
  let cardDataFound = 0;
  const tables = (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((row) => row.tablename as string);
  for (const table of tables) {
    const rows = await db.query(`SELECT row_to_json(t)::text AS text FROM "${table}" t`);
    cardDataFound += rows.rows.filter((row) => cardPattern.test(row.text)).length;
  }
  for (const file of walk(work)) if (cardPattern.test(fs.readFileSync(file, 'latin1'))) cardDataFound += 1;
  await db.end();

  for (const node of nodes) node.process?.kill('SIGTERM');
  await sleep(500);
  for (const node of nodes) node.process?.kill('SIGKILL');
  await acquirer.close();
  merchantServer.close();
  await postgres.stop();
  fs.rmSync(work, { recursive: true, force: true });

  const result = {
    cycles: CYCLES,
    orders: createdOrders.size,
    paid: paid.length,
    lost,
    doubled,
    charged_not_paid: chargedNotPaid,
    undelivered,
    ledger_ok: ledgerOk,
    card_data_found: cardDataFound,
    seed: SEED,
  };
  console.log(JSON.stringify(result));
  const ok = lost === 0 && doubled === 0 && chargedNotPaid === 0 && undelivered === 0 && cardDataFound === 0 && ledgerOk;
  process.exit(ok ? 0 : 1);
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
