import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPayrail } from './support/gateway-process.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { buildGateway } from '../src/server.ts';
import { checkoutFields, signedBody } from './support/test-gateway.ts';

// The real `payrail` command, run as a merchant's operator would, on an embedded (PGlite) data folder.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the payrail CLI on an embedded database', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let merchant: { merchantNo: string; appSecret: string };

  beforeAll(() => {
    // A copy of the migrated template: the CLI would migrate a fresh folder itself, only slower.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-cli-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    env = { DATA_DIR: dataDir, PAYRAIL_ENV: 'test', LOG_LEVEL: 'warn' };
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('merchant create --json prints one JSON line with the merchantNo and the app secret, and nothing else', async () => {
    const run = await runPayrail(['merchant', 'create', '--name', 'CLI Store', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    merchant = JSON.parse(lines[0]!);
    expect(Object.keys(merchant).sort()).toEqual(['appSecret', 'merchantNo']);
    expect(merchant.merchantNo).toMatch(/^\d{10}$/);
    expect(merchant.appSecret).toMatch(/^\S{16,}$/);
  });

  it('merchant list --json includes the new merchant, without its secret', async () => {
    const run = await runPayrail(['merchant', 'list', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(rows).toContainEqual(expect.objectContaining({ merchantNo: merchant.merchantNo, name: 'CLI Store', status: 'active' }));
    expect(run.stdout).not.toContain(merchant.appSecret);
  });

  it('merchant create takes the merchant settings, list shows them, and enable undoes disable', async () => {
    const created = await runPayrail(
      ['merchant', 'create', '--name', 'Strict', '--min-amount', '1.00', '--max-amount', '50', '--salt-placement', 'prefix', '--require-hmac', '--fee-bps', '150', '--status-set', 'extended', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const { merchantNo } = JSON.parse(created.stdout);
    const listed = JSON.parse((await runPayrail(['merchant', 'list', '--json'], env)).stdout);
    expect(listed.find((m: { merchantNo: string }) => m.merchantNo === merchantNo)).toMatchObject({
      minAmount: '1.00', maxAmount: '50.00', saltPlacement: 'prefix', requireHmac: true, feeBps: 150, status: 'active', statusSet: 'extended',
    });
    const updated = await runPayrail(['merchant', 'update', merchantNo, '--status-set', 'family'], env);
    expect(updated.code, updated.stderr).toBe(0);
    expect((await runPayrail(['merchant', 'disable', merchantNo], env)).code).toBe(0);
    expect((await runPayrail(['merchant', 'enable', merchantNo], env)).code).toBe(0);
    const again = JSON.parse((await runPayrail(['merchant', 'list', '--json'], env)).stdout);
    expect(again.find((m: { merchantNo: string }) => m.merchantNo === merchantNo)).toMatchObject({ status: 'active', statusSet: 'family' });
    expect(again.find((m: { merchantNo: string }) => m.merchantNo === merchant.merchantNo).statusSet).toBe('family');
    const refused = await runPayrail(['merchant', 'create', '--name', 'Bad', '--salt-placement', 'middle'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/suffix, prefix/);
    const badSet = await runPayrail(['merchant', 'update', merchantNo, '--status-set', 'all'], env);
    expect(badSet.code).not.toBe(0);
    expect(badSet.stderr).toMatch(/--status-set must be one of family, extended/);
    const unknown = await runPayrail(['merchant', 'update', '0000000000', '--status-set', 'extended'], env);
    expect(unknown).toMatchObject({ code: 1, stderr: 'merchant 0000000000 not found\n' });
  });

  it.each([['merchant create', ['merchant', 'create', '--name', 'X']], ['start', ['start']]] as const)(
    '%s stops on a DATABASE_URL the driver cannot parse, naming it, without a stack', async (_name, args) => {
    const run = await runPayrail([...args], { ...env, DATABASE_URL: 'postgres://a:5432/payrail?sslmode=verify-full&sslrootcert=/no/such/file' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^DATABASE_URL is invalid: the PostgreSQL driver cannot parse it/);
    expect(run.stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it('merchant update changes fee, limits, salt placement and HMAC-only; list shows fees and limits', async () => {
    const created = JSON.parse((await runPayrail(['merchant', 'create', '--name', 'Updated', '--json'], env)).stdout);
    const updated = await runPayrail(['merchant', 'update', created.merchantNo, '--fee-bps', '120', '--min-amount', '2.00', '--max-amount', '900', '--salt-placement', 'prefix', '--require-hmac'], env);
    expect(updated.code, updated.stderr).toBe(0);
    const listed = JSON.parse((await runPayrail(['merchant', 'list', '--json'], env)).stdout).find((m: { merchantNo: string }) => m.merchantNo === created.merchantNo);
    expect(listed).toMatchObject({ feeBps: 120, minAmount: '2.00', maxAmount: '900.00', saltPlacement: 'prefix', requireHmac: true, name: 'Updated' });
    const table = (await runPayrail(['merchant', 'list'], env)).stdout;
    expect(table).toMatch(new RegExp(`${created.merchantNo}\\s+active\\s+1\\.20%\\s+2\\.00-900\\.00`));
    const inverted = await runPayrail(['merchant', 'update', created.merchantNo, '--min-amount', '1000'], env);
    expect(inverted.code).toBe(1);
    expect(inverted.stderr).toMatch(/minimum/);
  }, 600_000);

  it('admin create refuses what is not an email address', async () => {
    const run = await runPayrail(['admin', 'create', '--email', 'not an email'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--email must be an email address/);
  }, 120_000);

  it('user create makes a merchant-admin (also called merchant) or a merchant-viewer of an existing merchant, or an operator, each with a one-time password', async () => {
    const shop = await runPayrail(['user', 'create', '--email', 'Owner@Shop.example', '--role', 'merchant', '--merchant', merchant.merchantNo], env);
    expect(shop.code, shop.stderr).toBe(0);
    expect(shop.stdout).toMatch(new RegExp(`^merchant-admin of ${merchant.merchantNo} owner@shop\\.example\none-time password  [A-Za-z0-9_-]{24}\n$`));
    const viewer = await runPayrail(['user', 'create', '--email', 'clerk@shop.example', '--role', 'merchant-viewer', '--merchant', merchant.merchantNo], env);
    expect(viewer.stdout).toMatch(new RegExp(`^merchant-viewer of ${merchant.merchantNo} clerk@shop\\.example\n`));
    const ops = await runPayrail(['user', 'create', '--email', 'ops2@example.com', '--role', 'operator'], env);
    expect(ops.stdout).toMatch(/^operator ops2@example\.com\none-time password  [A-Za-z0-9_-]{24}\n$/);
    for (const [args, message] of [
      [['--email', 'x@example.com', '--role', 'merchant'], /--merchant NO is required/],
      [['--email', 'x@example.com', '--role', 'merchant-viewer'], /--merchant NO is required/],
      [['--email', 'x@example.com', '--role', 'merchant', '--merchant', '9999999999'], /merchant 9999999999 not found/],
      [['--email', 'x@example.com', '--role', 'operator', '--merchant', merchant.merchantNo], /only for a merchant user/],
      [['--email', 'x@example.com', '--role', 'admin'], /--role must be one of operator, merchant-admin, merchant-viewer/],
      [['--email', 'owner@shop.example', '--role', 'operator'], /already is a merchant-admin of merchant/],
      [['--email', 'owner@shop.example', '--role', 'merchant-viewer', '--merchant', merchant.merchantNo], /already is a merchant-admin of merchant/],
    ] as const) {
      const run = await runPayrail(['user', 'create', ...args], env);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    // `admin create` on a merchant user's email changes nothing either.
    const clash = await runPayrail(['admin', 'create', '--email', 'owner@shop.example'], env);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/not an operator/);
  }, 600_000);

  it('--version prints the package version, and every command has a description in --help', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect((await runPayrail(['--version'], env)).stdout.trim()).toBe(pkg.version);
    for (const command of [['merchant', 'update'], ['merchant', 'enable'], ['admin', 'create'], ['user', 'create']]) {
      const help = (await runPayrail([...command, '--help'], env)).stdout;
      const description = help.split('\n')[2] ?? '';
      expect(description.trim().length, command.join(' ')).toBeGreaterThan(10);
    }
    expect((await runPayrail(['merchant', 'create', '--help'], env)).stdout).toMatch(/default: 290/);
  }, 600_000);

  it('notify resend for an unknown order exits 1 and says which order was not found', async () => {
    const run = await runPayrail(['notify', 'resend', 'no-such-order', '--merchant', merchant.merchantNo], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('order no-such-order not found');
  });

  it('notify resend without --merchant exits non-zero and names the option', async () => {
    const run = await runPayrail(['notify', 'resend', 'T1'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--merchant/);
  });

  it('notify resend queues the latest notification again and prints its notifyId; an order without one exits 1', async () => {
    // Orders come from the API: drive it in-process on the same folder, then let go of it for the CLI.
    const handle = await openDatabase({ dataDir });
    const config = loadConfig({ PAYRAIL_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const gateway = await buildGateway({ config, database: handle, logger: createLogger('silent') });
    const post = async (url: string, fields: Record<string, string>) => {
      const response = await gateway.app.inject({
        method: 'POST',
        url,
        headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
        payload: JSON.stringify(signedBody(fields, merchant.appSecret)),
      });
      return response.json();
    };
    const closed = checkoutFields() as Record<string, string>;
    const open = checkoutFields() as Record<string, string>;
    let notifyId: string;
    try {
      expect((await post('/v1/checkout', closed)).code).toBe('0000');
      expect((await post('/v1/checkout/close', { tradeNo: closed.tradeNo! })).code).toBe('0000');
      expect((await post('/v1/checkout', open)).code).toBe('0000');
      // As if it had been delivered and acknowledged long ago.
      const job = await handle.db.updateTable('jobs').set({ status: 'done', attempts: 1, finished_at: new Date() }).returningAll().executeTakeFirstOrThrow();
      notifyId = job.id;
    } finally {
      await gateway.close();
      await handle.close();
    }

    const resent = await runPayrail(['notify', 'resend', closed.tradeNo!, '--merchant', merchant.merchantNo], env);
    expect(resent.code, resent.stderr).toBe(0);
    expect(resent.stdout).toBe(`${notifyId}\n`);

    const none = await runPayrail(['notify', 'resend', open.tradeNo!, '--merchant', merchant.merchantNo], env);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe(`order ${open.tradeNo} has no notification yet`);

    const other = await runPayrail(['notify', 'resend', closed.tradeNo!, '--merchant', '0000000000'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/not found/);

    const check = await openDatabase({ dataDir });
    try {
      const job = await check.db.selectFrom('jobs').selectAll().where('id', '=', notifyId).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'pending', attempts: 0, lease: null, finished_at: null });
      expect(job.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    } finally {
      await check.close();
    }
  });
});

describe('the embedded database folder', () => {
  it('is refused to a second process while one holds it, with a message saying why, and free once released', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-lock-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    const holder = await openDatabase({ dataDir });
    try {
      const second = await runPayrail(['merchant', 'list'], { DATA_DIR: dataDir, PAYRAIL_ENV: 'test' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by another Payrail process/);
      await holder.close();
      const afterRelease = await runPayrail(['merchant', 'list', '--json'], { DATA_DIR: dataDir, PAYRAIL_ENV: 'test' });
      expect(afterRelease.code).toBe(0);
    } finally {
      await holder.close().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
