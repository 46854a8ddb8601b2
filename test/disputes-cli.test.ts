import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPayrail } from './support/gateway-process.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { buildGateway } from '../src/server.ts';
import { createMerchant } from '../src/store/merchants.ts';
import { findApprovedAttempt } from '../src/store/attempts.ts';
import { applyDisputeEvent } from '../src/payments/apply-dispute-event.ts';
import { cents } from '../src/domain/money.ts';
import { CashierClient } from './support/cashier-client.ts';
import { signedBody, type TestGateway } from './support/test-gateway.ts';
import type { WireBody } from '../src/domain/signature.ts';

// `payrail dispute list|close` and `payrail merchant update --dispute-fee`, run as an operator would.

describe('the payrail CLI for disputes', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let merchantNo: string;
  const disputes: { simulator?: string; processor?: string } = {};

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-cli-disputes-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    env = { DATA_DIR: dataDir, PAYRAIL_ENV: 'test', LOG_LEVEL: 'warn' };
    const handle = await openDatabase({ dataDir });
    const config = loadConfig({ PAYRAIL_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const gateway = await buildGateway({ config, database: handle, logger: createLogger('silent') });
    try {
      const merchant = await createMerchant(gateway.context.db, gateway.context.masterKey, { name: 'Dispute Store', feeBps: 0 });
      merchantNo = merchant.merchantNo;
      // Enough of a TestGateway for the cashier client: signed API calls through this gateway.
      const t = {
        gateway,
        async post(url: string, fields: WireBody) {
          const response = await gateway.app.inject({ method: 'POST', url, headers: { merchantNo, 'content-type': 'application/json' }, payload: JSON.stringify(signedBody(fields, merchant.appSecret)) });
          return { status: response.statusCode, body: response.json() };
        },
      } as unknown as TestGateway;
      for (const name of ['simulator', 'processor'] as const) {
        const customer = await CashierClient.forNewOrder(t, { amount: '50.00' }, merchant);
        await customer.open();
        await customer.pay('4242424242424242');
        const attempt = await findApprovedAttempt(gateway.context.db, customer.platFormTradeNo);
        const applied = await applyDisputeEvent(gateway.context, {
          processor: 'simulator',
          processorDisputeId: `cli_${name}`,
          paymentReference: attempt!.acquirer_reference!,
          amount: cents(5000),
          currency: 'USD',
          reason: 'FRAUDULENT',
          stage: 'opened',
          occurredAt: new Date(),
        });
        if (applied.outcome !== 'settled') throw new Error(`dispute not applied: ${applied.outcome}`);
        disputes[name] = applied.recorded.dispute.dispute_no;
      }
      // As if a processor had opened the second one: only the processor may end it.
      await gateway.context.db.updateTable('disputes').set({ processor: 'stripe' }).where('dispute_no', '=', disputes.processor!).execute();
    } finally {
      await gateway.close();
      await handle.close();
    }
  }, 300_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const list = async (...args: string[]) => JSON.parse((await runPayrail(['dispute', 'list', '--json', ...args], env)).stdout) as { disputeNo: string; status: string; desc: string; merchantNo: string; amount: string }[];

  it('lists disputes, closes a simulator dispute as lost, refuses a processor dispute, and the ledger still checks', async () => {
    const all = await list('--merchant', merchantNo);
    expect(all.map((d) => [d.disputeNo, d.desc, d.amount]).sort()).toEqual([[disputes.simulator, 'OPEN', '50.00'], [disputes.processor, 'OPEN', '50.00']].sort());

    const fee = await runPayrail(['merchant', 'update', merchantNo, '--dispute-fee', '20.00'], env);
    expect(fee.code, fee.stderr).toBe(0);
    expect(fee.stdout).toContain('dispute fee 20.00');

    const closed = await runPayrail(['dispute', 'close', '--dispute', disputes.simulator!, '--lost'], env);
    expect({ code: closed.code, stderr: closed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(closed.stdout).toContain('LOST');
    expect((await list('--open')).map((d) => d.disputeNo)).toEqual([disputes.processor]);

    const again = await runPayrail(['dispute', 'close', '--dispute', disputes.simulator!, '--won'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has ended already: LOST');
    const processor = await runPayrail(['dispute', 'close', '--dispute', disputes.processor!, '--won'], env);
    expect(processor.code).toBe(1);
    expect(processor.stderr).toContain('the processor decides it');
    expect((await runPayrail(['dispute', 'close', '--dispute', disputes.processor!], env)).stderr).toContain('give --won or --lost');

    const check = await runPayrail(['ledger', 'check'], env);
    expect({ code: check.code, stdout: check.stdout.trim() }).toEqual({ code: 0, stdout: 'ledger ok' });
  }, 900_000);
});
