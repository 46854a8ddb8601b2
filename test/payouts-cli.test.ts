import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPayrail } from './support/gateway-process.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { buildGateway } from '../src/server.ts';
import { signedBody, type TestGateway } from './support/test-gateway.ts';
import { fundMerchant, payoutFields } from './support/payouts.ts';
import { signedCents } from '../src/domain/money.ts';

// `payrail merchant create|update --payout-fee`, `payrail payout list` and `payrail ledger check`, run as an operator would.

describe('the payrail CLI for payouts', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let merchant: { merchantNo: string; appSecret: string };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-cli-payouts-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    env = { DATA_DIR: dataDir, PAYRAIL_ENV: 'test', LOG_LEVEL: 'warn' };
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const listed = async (merchantNo: string) =>
    (JSON.parse((await runPayrail(['merchant', 'list', '--json'], env)).stdout) as { merchantNo: string; payoutFee: string }[]).find((m) => m.merchantNo === merchantNo);

  it('sets the payout fee on merchant create and changes it with merchant update', async () => {
    const created = await runPayrail(['merchant', 'create', '--name', 'Payout Store', '--fee-bps', '0', '--payout-fee', '0.50', '--json'], env);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    merchant = JSON.parse(created.stdout);
    expect(await listed(merchant.merchantNo)).toMatchObject({ payoutFee: '0.50' });
    const updated = await runPayrail(['merchant', 'update', merchant.merchantNo, '--payout-fee', '1.25'], env);
    expect(updated.code, updated.stderr).toBe(0);
    expect(await listed(merchant.merchantNo)).toMatchObject({ payoutFee: '1.25' });
    expect((await runPayrail(['merchant', 'update', merchant.merchantNo, '--payout-fee', '1.234'], env)).code).not.toBe(0);
    const unknown = await runPayrail(['merchant', 'update', '0000000000', '--payout-fee', '1.00'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/0000000000 not found/);
  }, 900_000);

  it('lists payouts, and ledger check passes on a healthy ledger and fails on a broken one', async () => {
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
      return { status: response.statusCode, body: response.json() };
    };
    const paid = payoutFields({ amount: '20.00' });
    const failed = payoutFields({ amount: '5.00', customerAccount: '4000000000000002' });
    try {
      await fundMerchant({ gateway, post } as unknown as TestGateway, merchant, '50.00');
      expect((await post('/v1/payout', paid)).body.data.status).toBe('0000');
      expect((await post('/v1/payout', failed)).body.data.status).toBe('00029');
    } finally {
      await gateway.close();
      await handle.close();
    }

    const list = await runPayrail(['payout', 'list', '--merchant', merchant.merchantNo, '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ tradeNo: failed.tradeNo, amount: '5.00', fee: '1.25', status: '00029', desc: 'FAILED: DO_NOT_HONOR', card: 'Visa •••• 0002' });
    expect(rows[1]).toMatchObject({ tradeNo: paid.tradeNo, amount: '20.00', status: '0000', card: 'Visa •••• 4242' });
    const text = await runPayrail(['payout', 'list', '--status', '0000'], env);
    expect(text.stdout).toContain(paid.tradeNo!);
    expect(text.stdout).not.toContain(failed.tradeNo!);
    expect(text.stdout).not.toContain('4242424242424242');

    // A payout's PAYOUT notification is resent by its tradeNo, like an order's.
    const resent = await runPayrail(['notify', 'resend', paid.tradeNo!, '--merchant', merchant.merchantNo], env);
    expect(resent.code, resent.stderr).toBe(0);
    const jobs = await openDatabase({ dataDir });
    try {
      const job = await jobs.db
        .selectFrom('jobs')
        .innerJoin('payouts', 'payouts.id', 'jobs.payout_id')
        .select(['jobs.id', 'jobs.status', 'jobs.attempts'])
        .where('payouts.trade_no', '=', paid.tradeNo!)
        .executeTakeFirstOrThrow();
      expect(resent.stdout).toBe(`${job.id}\n`);
      expect(job).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      await jobs.close();
    }
    const unknownPayout = await runPayrail(['notify', 'resend', 'no-such-payout', '--merchant', merchant.merchantNo], env);
    expect(unknownPayout.code).toBe(1);
    expect(unknownPayout.stderr.trim()).toBe('order no-such-payout not found');

    const healthy = await runPayrail(['ledger', 'check'], env);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout.trim()).toBe('ledger ok');

    // A cent that appears from nowhere: one entry more on the paid payout's posting.
    const broken = await openDatabase({ dataDir });
    try {
      const posting = await broken.db.selectFrom('ledger_postings').select('id').where('kind', '=', 'payout_paid').executeTakeFirstOrThrow();
      await broken.db.insertInto('ledger_entries').values({ posting_id: posting.id, account: 'merchant_available', merchant_no: merchant.merchantNo, amount_cents: signedCents(-1) }).execute();
    } finally {
      await broken.close();
    }
    const check = await runPayrail(['ledger', 'check'], env);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/every posting sums to zero: posting \d+ \(payout_paid\) sums to -1/);
    expect(check.stderr).toMatch(/balances equal/);
  }, 900_000);
});
