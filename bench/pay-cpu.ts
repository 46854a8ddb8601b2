/**
 * `npm run bench:pay-cpu`: the gateway's own CPU per payment (GET page, POST card, receipt; the
 * simulator acquirer in process), on PostgreSQL so the database's CPU is not in the gateway's
 * thread. The gateway runs in a child process of its own; this process creates the orders and
 * pays them one after another, and reads the child's process.cpuUsage() before and after.
 *
 * PAYMENTS (default 300) payments per round, ROUNDS (default 3) rounds; PROFILE=dir samples the
 * gateway's CPU during the payments alone (not its start, not the orders' creation) through the
 * inspector, the same profile `node --cpu-prof` writes, one .cpuprofile per round and kind of
 * customer (docs/performance.md reads them). LOG_LEVEL (default silent) is the gateway's, as in
 * production (`info`); its log lines go to LOG_FILE (default /dev/null), never to this terminal.
 * Prints one line per round and the median.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../test/support/postgres-server.ts';
import { openDatabase } from '../src/db/connect.ts';
import { benchDatabase, freshDatabase } from './databases.ts';
import { startGateway } from './gateway.ts';
import type { BenchMerchant } from './merchant-request.ts';
import { statMicros } from './cpu.ts';
import { percentile } from './stats.ts';
import { ONE_CARD, createOrder, distinctCustomer, payOrder } from './pay-path-client.ts';

const PAYMENTS = Number(process.env.PAYMENTS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

type ToGateway = { kind: 'cpu' } | { kind: 'profile'; file: string | undefined } | { kind: 'stop' };
type FromGateway = { kind: 'ready'; baseUrl: string; merchant: BenchMerchant } | { kind: 'cpu'; micros: number; systemMicros: number };

/** The child: the gateway on the database it is given, answering CPU readings until told to stop. */
async function serveGateway(databaseUrl: string, dataDir: string) {
  const database = benchDatabase('postgres', await openDatabase({ databaseUrl, dataDir }), dataDir, databaseUrl);
  const running = await startGateway(database, { LOG_LEVEL, TRUST_PROXY: true, CARD_DECLINES_PER_DAY: 1_000_000, IP_DECLINES_PER_HOUR: 1_000_000 });
  const send = (message: FromGateway) => process.send!(message);
  const profiler = new Session();
  profiler.connect();
  process.on('message', (message: ToGateway) => {
    if (message.kind === 'cpu') {
      const usage = process.cpuUsage();
      send({ kind: 'cpu', micros: usage.user + usage.system, systemMicros: usage.system });
    } else if (message.kind === 'profile') {
      // No file: start sampling (every 200 µs); a file: stop and write what was sampled there.
      const file = message.file;
      if (!file) profiler.post('Profiler.enable', () => profiler.post('Profiler.setSamplingInterval', { interval: 200 }, () => profiler.post('Profiler.start', () => send({ kind: 'cpu', micros: 0, systemMicros: 0 }))));
      else profiler.post('Profiler.stop', (error, result) => {
        if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
        send({ kind: 'cpu', micros: 0, systemMicros: 0 });
      });
    } else {
      void running.close().then(() => database.handle.close()).then(() => process.exit(0));
    }
  });
  send({ kind: 'ready', baseUrl: running.baseUrl, merchant: running.merchant });
}

function nextMessage(child: ChildProcess): Promise<FromGateway> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the gateway exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (message: FromGateway) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

async function ask(child: ChildProcess, request: ToGateway): Promise<{ micros: number; systemMicros: number }> {
  const answer = nextMessage(child);
  child.send(request);
  const message = await answer;
  if (message.kind !== 'cpu') throw new Error('expected a CPU reading');
  return message;
}

/** CPU (µs) of each of a process's threads, summed by the thread's name (main, V8 workers, libuv's pool). */
function threadMicros(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const name = fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
    const key = task === String(pid) ? `${name} (main thread)` : name;
    byName.set(key, (byName.get(key) ?? 0) + statMicros(`/proc/${pid}/task/${task}/stat`));
  }
  return byName;
}

async function main() {
  const server = await startPostgres();
  const database = await freshDatabase('postgres', server);
  const profile = process.env.PROFILE;
  const logFile = fs.openSync(process.env.LOG_FILE ?? '/dev/null', 'a');
  const child = fork(fileURLToPath(import.meta.url), ['gateway', database.databaseUrl!, database.dataDir], { execArgv: ['--import', 'tsx'], stdio: ['inherit', logFile, 'inherit', 'ipc'] });
  console.log(`gateway LOG_LEVEL=${LOG_LEVEL}, ${PAYMENTS} payments a round, ${ROUNDS} rounds`);
  try {
    const ready = await nextMessage(child);
    if (ready.kind !== 'ready') throw new Error('expected the gateway to be ready');
    const perPayment: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, customerOf] of [
        ['a card and an address per customer', distinctCustomer],
        ['one card from one address', () => ONE_CARD],
      ] as const) {
        const orders: { token: string; orderNo: string }[] = [];
        for (let i = 0; i < PAYMENTS + 5; i++) orders.push(await createOrder(ready.baseUrl, ready.merchant));
        for (let i = 0; i < 5; i++) await payOrder(ready.baseUrl, orders.pop()!, customerOf()); // warm-up
        if (profile) await ask(child, { kind: 'profile', file: undefined });
        const threadsBefore = threadMicros(child.pid!);
        const before = await ask(child, { kind: 'cpu' });
        for (let order = orders.pop(); order; order = orders.pop()) await payOrder(ready.baseUrl, order, customerOf());
        const after = await ask(child, { kind: 'cpu' });
        const threads = [...threadMicros(child.pid!)].map(([name, micros]) => `${name} ${((micros - (threadsBefore.get(name) ?? 0)) / 1000 / PAYMENTS).toFixed(2)}`);
        const micros = after.micros - before.micros;
        const system = (after.systemMicros - before.systemMicros) / 1000 / PAYMENTS;
        if (profile) await ask(child, { kind: 'profile', file: path.join(profile, `pay-${round + 1}-${customerOf === distinctCustomer ? 'distinct' : 'one-card'}.cpuprofile`) });
        const each = micros / 1000 / PAYMENTS;
        (perPayment[label] ??= []).push(each);
        console.log(`round ${round + 1}, ${label}: gateway CPU ${each.toFixed(2)} ms a payment, of which system ${system.toFixed(2)} (${PAYMENTS} payments); by thread: ${threads.join(', ')}`);
      }
    }
    for (const [label, values] of Object.entries(perPayment)) console.log(`median, ${label}: ${percentile(values, 50).toFixed(2)} ms a payment`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ kind: 'stop' } satisfies ToGateway);
    await exited;
    fs.closeSync(logFile);
    await database.dispose();
    await server.stop();
  }
}

if (process.argv[2] === 'gateway') await serveGateway(process.argv[3]!, process.argv[4]!);
else await main();
