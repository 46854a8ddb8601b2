import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * The package as a merchant gets it: `npm pack` of the build the suite's global setup made fresh
 * (`--ignore-scripts`: `prepack` would build it again while other test files run it), then
 * `npm install <tarball>` into a fresh project, never a symlink to this folder (a symlink
 * would hide a `dist/` the tarball leaves out). Dependencies come from the npm cache where
 * they can (`--prefer-offline`).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

const CALL = (load: string) => `${load}
const client = new PayrailClient({ baseUrl: process.env.PAYRAIL_URL, merchantNo: process.env.PAYRAIL_MERCHANT_NO, appSecret: process.env.PAYRAIL_APP_SECRET, retries: 0 });
client.createCheckout({ tradeNo: process.env.TRADE_NO, amount: '12.50', mobile: '15550100', email: 'buyer@example.com', userId: 'u-1',
  notifyUrl: 'https://shop.example/notify', returnUrl: 'https://shop.example/back' })
  .then((checkout) => console.log(JSON.stringify({ checkout, sign: computeSign({ b: '2', a: '1', c: '' }, 's3cr3t') })));
`;

describe('the package as published: npm pack, npm install <tarball>, import payrail/sdk', () => {
  let t: TestGateway;
  let baseUrl = '';
  let work = '';
  let project = '';
  let packed: string[] = [];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-pack-'));
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    packed = result.files.map((file) => file.path);

    project = path.join(work, 'shop');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }));
    await run('npm', ['install', path.join(work, result.filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, timeout: 300_000 });
    fs.writeFileSync(path.join(project, 'esm.mjs'), CALL("import { PayrailClient, computeSign } from 'payrail/sdk';"));
    fs.writeFileSync(path.join(project, 'cjs.cjs'), CALL("const { PayrailClient, computeSign } = require('payrail/sdk');"));

    t = await startTestGateway('pglite');
    await t.gateway.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.gateway.app.server.address() as AddressInfo).port}`;
  }, 600_000);

  afterAll(async () => {
    await t?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('holds the built SDK, its types and the command, and no tests', () => {
    for (const file of ['dist/sdk/index.js', 'dist/sdk/index.d.ts', 'dist/sdk/client.js', 'dist/domain/wire-status.js', 'bin/payrail.js', 'package.json', 'README.md']) {
      expect(packed, file).toContain(file);
    }
    expect(packed.filter((file) => file.startsWith('test/') || /\.test\.ts$/.test(file))).toEqual([]);
    // The command runs the compiled gateway: its modules and the assets they read are there, its sources are not.
    expect(packed).toContain('dist/cli.js');
    expect(packed).toContain('dist/cashier/assets/cashier.js');
    expect(packed.filter((file) => file.startsWith('src/'))).toEqual([]);
  });

  it('runs the payrail command from the installed package', async () => {
    const { stdout } = await run(process.execPath, [path.join(project, 'node_modules', 'payrail', 'bin', 'payrail.js'), '--help'], { cwd: project, timeout: 60_000 });
    expect(stdout).toMatch(/start/);
    expect(stdout).toMatch(/merchant/);
  });

  it.each([['ESM import', 'esm.mjs'], ['CommonJS require', 'cjs.cjs']])('%s of payrail/sdk from the installed package creates a checkout on a gateway', async (_name, file) => {
    const tradeNo = `pack-${file.replace('.', '-')}-${Date.now()}`;
    const env = { ...process.env, PAYRAIL_URL: baseUrl, PAYRAIL_MERCHANT_NO: t.merchant.merchantNo, PAYRAIL_APP_SECRET: t.merchant.appSecret, TRADE_NO: tradeNo };
    const { stdout, stderr } = await run(process.execPath, [file], { cwd: project, env, timeout: 60_000 });
    expect(stderr).not.toMatch(/Error/);
    const { checkout, sign } = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(sign).toBe('2b23dcb025e26406f99343498b21fdd6');
    expect(checkout).toMatchObject({ tradeNo, status: '0015', desc: 'CREATED' });
    expect(checkout.paymentLink).toBe(checkout.paymentUrl);
    expect(fs.realpathSync(path.join(project, 'node_modules', 'payrail'))).not.toBe(fs.realpathSync(root));
  });
});
