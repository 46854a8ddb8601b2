import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { luhnValid } from '../../src/domain/card.ts';
import { describeEachDatabase, startTestGateway } from '../support/test-gateway.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';

/** A Visa number no other test uses, so that finding it on disk can only mean this payout leaked it. */
function uniqueVisa(): string {
  for (;;) {
    const body = `4${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
    for (let check = 0; check < 10; check++) if (luhnValid(body + check)) return body + check;
  }
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && fs.readFileSync(file).includes(bytes)) found.push(file);
    }
  };
  walk(dir);
  return found;
}

describeEachDatabase('a payout card number at rest', (kind) => {
  it('is nowhere in the database files once the acquirer acknowledged the payout: not in tables, WAL or dead tuples', async () => {
    const t = await startTestGateway(kind);
    let closed = false;
    try {
      const merchant = await t.addMerchant({ feeBps: 0 });
      await fundMerchant(t, merchant, '20.00');
      const pan = uniqueVisa();
      const fields = payoutFields({ amount: '5.00', customerAccount: pan });
      const answer = await t.post('/v1/payout', fields, { merchant });
      expect(answer.body.data.status).toBe('0000');
      const row = await t.gateway.context.db.selectFrom('payouts').selectAll().where('trade_no', '=', fields.tradeNo!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ card_sealed: null, card_last4: pan.slice(-4), card_bin: pan.slice(0, 6) });

      let dataDir: string;
      if (kind === 'postgres') {
        // Everything written so far reaches the data files (heap, indexes, WAL).
        // A checkpoint of the suite's shared server can outlast the gateway's statement timeout on a busy machine.
        await t.gateway.context.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL statement_timeout = 0`.execute(trx);
          await sql`CHECKPOINT`.execute(trx);
        });
        dataDir = (await sql<{ data_directory: string }>`SHOW data_directory`.execute(t.gateway.context.db)).rows[0]!.data_directory;
      } else {
        dataDir = t.dataDir;
        await t.gateway.close();
        closed = true;
      }
      // The search does read the data: the payout's own tradeNo is there.
      expect(filesContaining(dataDir, fields.tradeNo!).length).toBeGreaterThan(0);
      expect(filesContaining(dataDir, pan)).toEqual([]);
    } finally {
      if (closed) await t.close().catch(() => {});
      else await t.close();
    }
  }, 180_000);
});
