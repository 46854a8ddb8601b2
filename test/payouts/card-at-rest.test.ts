import { expect, it } from 'vitest';
import { dataFilesOf, filesContaining, uniqueVisa } from '../support/card-at-rest.ts';
import { describeEachDatabase, startTestGateway } from '../support/test-gateway.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';

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
      ({ dataDir, closed } = await dataFilesOf(t, kind));
      // The search does read the data: the payout's own tradeNo is there.
      expect(filesContaining(dataDir, fields.tradeNo!).length).toBeGreaterThan(0);
      expect(filesContaining(dataDir, pan)).toEqual([]);
    } finally {
      if (closed) await t.close().catch(() => {});
      else await t.close();
    }
  }, 180_000);
});
