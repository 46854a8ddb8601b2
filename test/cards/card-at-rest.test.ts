import { expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { dataFilesOf, filesContaining, uniqueVisa } from '../support/card-at-rest.ts';

describeEachDatabase('a saved card number at rest', (kind) => {
  it('is nowhere in the database files after the card is saved, paid with again and charged: not in tables, WAL or dead tuples', async () => {
    const t = await startTestGateway(kind);
    let closed = false;
    try {
      const pan = uniqueVisa();
      const customerId = `rest-${kind}`;
      const saving = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
      await saving.open();
      await saving.pay(pan);
      const cardToken = (await t.post('/v1/checkout/query', { tradeNo: saving.tradeNo })).body.data.cardToken as string;
      expect(cardToken).toMatch(/^ct_/);

      const again = await CashierClient.forNewOrder(t, { customerId });
      await again.open();
      await again.post('/checkout/pay-saved', { cardToken });
      const tradeNo = `REST-${kind}-${Date.now()}`;
      const charged = await t.post('/v1/charge', { tradeNo, amount: '3.00', currency: 'USD', customerId, cardToken, notifyUrl: 'https://merchant.example/n', reason: 'UNSCHEDULED' });
      expect(charged.body.data.status).toBe('0000');
      expect((await t.post('/v1/checkout/query', { tradeNo: again.tradeNo })).body.data.status).toBe('0000');
      const saved = await t.gateway.context.db.selectFrom('saved_cards').selectAll().where('card_token', '=', cardToken).executeTakeFirstOrThrow();
      expect(saved).toMatchObject({ card_last4: pan.slice(-4), card_bin: pan.slice(0, 6) });
      expect(saved.acquirer_token_sealed).toMatch(/^v1\./);

      let dataDir: string;
      ({ dataDir, closed } = await dataFilesOf(t, kind));
      // The search does read the data: the charge's own tradeNo and the saved card's token are there.
      expect(filesContaining(dataDir, tradeNo).length).toBeGreaterThan(0);
      expect(filesContaining(dataDir, cardToken).length).toBeGreaterThan(0);
      expect(filesContaining(dataDir, pan)).toEqual([]);
    } finally {
      if (closed) await t.close().catch(() => {});
      else await t.close();
    }
  }, 180_000);
});
