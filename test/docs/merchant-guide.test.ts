import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { freePort } from '../support/postgres-server.ts';

/**
 * docs/merchant-guide.md cannot rot: its blocks are cut out, put together file by file as the
 * guide says, found equal to the files of examples/ (one folder per language), and those folders
 * are run as shipped against a running gateway in every language the guide shows.
 */
const run = promisify(execFile);
const root = process.cwd();
const guide = fs.readFileSync(path.join(root, 'docs/merchant-guide.md'), 'utf8');
const api = fs.readFileSync(path.join(root, 'docs/api.md'), 'utf8');
const examples = path.join(root, 'examples');

/** The guide's files: every block tagged `file=NAME`, in order. */
function guideFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, , name, code] of markdown.matchAll(/^```(\w+) file=(\S+)\n([\s\S]*?)^```$/gm)) {
    files.set(name!, (files.get(name!) ?? '') + code);
  }
  return files;
}

interface Language {
  name: string;
  /** Its folder in examples/. */
  folder: string;
  file: string;
  command(file: string, args: string[]): [string, string[]];
  /** How the guide runs its notification receiver, when the language has one. */
  listener?(file: string, port: number): [string, string[]];
}

const tsx = path.join(root, 'node_modules/.bin/tsx');
const LANGUAGES: Language[] = [
  { name: 'curl', folder: 'curl', file: 'payrail.sh', command: (file, args) => ['bash', [file, ...args]] },
  {
    name: 'TypeScript',
    folder: 'typescript',
    file: 'payrail-example.ts',
    command: (file, args) => [tsx, [file, ...args]],
    listener: (file, port) => [tsx, [file, 'listen', String(port)]],
  },
  {
    name: 'PHP',
    folder: 'php',
    file: 'payrail.php',
    command: (file, args) => ['php', [file, ...args]],
    listener: (file, port) => ['php', ['-S', `127.0.0.1:${port}`, file]],
  },
  {
    name: 'Python',
    folder: 'python',
    file: 'payrail_example.py',
    command: (file, args) => ['python3', [file, ...args]],
    listener: (file, port) => ['python3', [file, 'listen', String(port)]],
  },
  {
    name: 'Java',
    folder: 'java',
    file: 'PayrailExample.java',
    command: (file, args) => ['java', [file, ...args]],
    listener: (file, port) => ['java', [file, 'listen', String(port)]],
  },
];

async function portOpen(port: number, timeoutMs: number) {
  await until(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    timeoutMs,
    100,
  );
}

describe('docs/merchant-guide.md, run in every language against a running gateway', () => {
  let t: TestGateway;
  let baseUrl = '';
  let project = '';
  let env: NodeJS.ProcessEnv = {};
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const children: ChildProcess[] = [];
  const files = guideFiles(guide);

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
    t.gateway.startWorkers({ pollMs: 100, sweepEveryMs: 60_000 });
    receiver = await startReceiver();
    env = { ...process.env, PAYRAIL_URL: baseUrl, PAYRAIL_MERCHANT_NO: t.merchant.merchantNo, PAYRAIL_APP_SECRET: t.merchant.appSecret };

    // The examples/ folders as shipped, each copied on its own (no package.json above them). The
    // TypeScript one is a merchant's own project: its package.json ("type": "module"), payrail in
    // its node_modules as `npm install` links `file:../..`, the SDK built as `prepare` builds it
    // (the suite's global setup has built dist/ from the current sources).
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-guide-'));
    for (const { folder } of LANGUAGES) {
      fs.cpSync(path.join(examples, folder), path.join(project, folder), { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
    }
    fs.mkdirSync(path.join(project, 'typescript', 'node_modules'));
    fs.symlinkSync(root, path.join(project, 'typescript', 'node_modules', 'payrail'), 'dir');
  }, 120_000);

  afterAll(async () => {
    // tsx runs the program in a child of its own: end the whole process group we started.
    for (const child of children) if (child.pid) process.kill(-child.pid, 'SIGKILL');
    await t?.close();
    await receiver?.close();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('gives a file for every language, and every code block of the guide belongs to one', () => {
    expect([...files.keys()].sort()).toEqual(LANGUAGES.map((l) => l.file).sort());
    const blocks = [...guide.matchAll(/^```(\w*)(.*)$\n[\s\S]*?^```$/gm)];
    const untagged = blocks.filter(([, lang, info]) => ['bash', 'ts', 'php', 'python', 'java'].includes(lang!) && !/file=/.test(info!));
    expect(untagged.map(([text]) => text.slice(0, 60))).toEqual([]);
  });

  for (const { name, folder, file } of LANGUAGES) {
    const shipped = `examples/${folder}/${file}`;
    it(`${shipped} is the guide's ${name} file, block for block`, () => {
      expect(
        fs.readFileSync(path.join(root, shipped), 'utf8'),
        `${shipped} differs from docs/merchant-guide.md: copy the guide's \`file=${file}\` blocks, in order, into it`,
      ).toBe(files.get(file));
    });
  }

  it('ships the TypeScript example as an ES module project with tsx pinned to the repository\'s version', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(examples, 'typescript', 'package.json'), 'utf8'));
    const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(shipped).toMatchObject({ type: 'module', dependencies: { payrail: 'file:../..' }, devDependencies: { tsx: ours.devDependencies.tsx } });
  });

  for (const language of LANGUAGES) {
    it(`${language.name}: signs the reference's examples, creates a checkout, verifies the notification, answers OK, queries and refunds; charges, lists and deletes a saved card`, async () => {
      const cwd = path.join(project, language.folder);
      const file = path.join(cwd, language.file);
      const exec = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
        const [command, argv] = language.command(file, args);
        const { stdout } = await run(command, argv, { cwd, env: { ...env, ...extraEnv }, timeout: 90_000 });
        return stdout.trim();
      };
      const answer = async (args: string[]) => {
        const text = await exec(args);
        return JSON.parse(text.split('\n').at(-1)!);
      };

      // The signature example of docs/api.md: secret s3cr3t, {"b":"2","a":"1","c":""} signs a=1b=2.
      expect(await exec(['sign', 'b=2', 'a=1', 'c='], { PAYRAIL_APP_SECRET: 's3cr3t' })).toBe('2b23dcb025e26406f99343498b21fdd6');
      expect(api).toContain('2b23dcb025e26406f99343498b21fdd6');

      // Its notification receiver, when the language has one.
      let notifyUrl = `${receiver.url}/${language.name}`;
      const heard: string[] = [];
      let listenerPort = 0;
      if (language.listener) {
        listenerPort = await freePort();
        const [command, argv] = language.listener(file, listenerPort);
        const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
        children.push(child);
        child.stdout!.on('data', (chunk: Buffer) => heard.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
        await portOpen(listenerPort, 60_000);
        notifyUrl = `http://127.0.0.1:${listenerPort}/payrail/notify`;
      }
      const heardFor = (tradeNo: string, notifyType: string) =>
        heard.map((line) => JSON.parse(line) as Record<string, string>).find((n) => n.tradeNo === tradeNo && n.notifyType === notifyType);

      const tradeNo = `guide-${language.name}-${Date.now()}`;
      const created = await answer(['checkout', tradeNo, '12.00', notifyUrl, 'https://shop.example/done']);
      const paymentUrl: string = created.data?.paymentUrl ?? created.paymentUrl;
      expect(paymentUrl).toContain('/checkout?data=');

      const customer = new CashierClient(t, new URL(paymentUrl).searchParams.get('data')!);
      await customer.open();
      await customer.pay('4242424242424242');

      const queried = await answer(['query', tradeNo]);
      expect(queried.data ?? queried).toMatchObject({ tradeNo, status: '0000', payAmount: '12.00' });

      const refunded = await answer(['refund', tradeNo, `${tradeNo}-r1`, '4.00']);
      expect(refunded.data ?? refunded).toMatchObject({ refundNo: `${tradeNo}-r1`, status: '0000', amount: '4.00' });

      const refusal = await answer(['refund', tradeNo, `${tradeNo}-r2`, '9.00']);
      expect(refusal).toMatchObject({ code: '8011' });

      // Cards on file: a card the customer saved at a checkout, listed, charged and deleted by the example.
      const customerId = `cus-guide-${language.folder}-${Date.now()}`;
      const saving = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
      await saving.open();
      await saving.pay('4242424242424242');
      const cardToken: string = (await t.post('/v1/checkout/query', { tradeNo: saving.tradeNo })).body.data.cardToken;
      expect(cardToken).toMatch(/^ct_[0-9a-z]{24}$/);
      const listed = await answer(['cards', customerId]);
      expect(listed.data?.cards ?? listed).toEqual([expect.objectContaining({ cardToken, brand: 'visa', last4: '4242' })]);
      const chargeNo = `${tradeNo}-c1`;
      const charged = await answer(['charge', chargeNo, '9.99', customerId, cardToken, notifyUrl, 'RECURRING']);
      expect(charged.data ?? charged).toMatchObject({ tradeNo: chargeNo, status: '0000', desc: 'SUCCESS', cardToken, paymentUrl: null });
      const deleted = await answer(['delete-card', cardToken]);
      expect(deleted.data ?? deleted).toEqual({ cardToken, deleted: true });
      const emptied = await answer(['cards', customerId]);
      expect(emptied.data?.cards ?? emptied).toEqual([]);
      expect(await answer(['charge', `${tradeNo}-c2`, '9.99', customerId, cardToken, notifyUrl, 'RECURRING'])).toMatchObject({ code: '8009' });

      if (language.listener) {
        const paid = await until(() => heardFor(tradeNo, 'PAYMENT'), 20_000);
        expect(paid).toMatchObject({ status: '0000', amount: '12.00' });
        await until(() => heardFor(tradeNo, 'REFUND'), 20_000);
        // The gateway took its answer as an acknowledgement.
        const order = await t.gateway.context.db.selectFrom('orders').select('plat_form_trade_no').where('trade_no', '=', tradeNo).executeTakeFirstOrThrow();
        await until(async () => {
          const jobs = await t.gateway.context.db.selectFrom('jobs').select('status').where('order_no', '=', order.plat_form_trade_no).where('kind', '=', 'notify').execute();
          return jobs.length === 2 && jobs.every((job) => job.status === 'done');
        }, 20_000);
        // A forged notification is refused.
        const forged = { ...paid, amount: '1200.00' };
        const response = await fetch(`http://127.0.0.1:${listenerPort}/payrail/notify`, { method: 'POST', body: JSON.stringify(forged), headers: { 'content-type': 'application/json' } });
        expect(response.status).toBe(400);
        expect((await response.text()).trim().toUpperCase()).not.toBe('OK');
        // The charge's notification, with its cardToken, verifies too.
        expect(await until(() => heardFor(chargeNo, 'PAYMENT'), 20_000)).toMatchObject({ status: '0000', cardToken });
      }
    }, 180_000);
  }
});
