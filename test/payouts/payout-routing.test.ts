import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { reconcilePayouts } from '../../src/payments/reconcile-payouts.ts';
import { updateMerchant } from '../../src/store/merchants.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';

/**
 * A payout goes to the first acquirer in the merchant's list that pays out, records it, and is
 * reconciled with it; with none that pays out it is refused at once (8016) and nothing is held.
 * Here the instance's default (ACQUIRER=stripe) has no payouts; the simulator has.
 */
describeEachDatabase('payouts route to an acquirer that pays out and remember it', (kind) => {
  let stripe: FakeStripe;
  let t: TestGateway;
  beforeAll(async () => {
    stripe = await startFakeStripe({ webhookSecret: 'whsec_payouts' });
    t = await startTestGateway(kind, { ACQUIRER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_WEBHOOK_SECRET: 'whsec_payouts', STRIPE_API_URL: stripe.url }, { configuredAcquirers: true });
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  const db = () => t.gateway.context.db;
  const useAcquirers = async (merchant: TestMerchant, acquirers: string[]) => {
    await updateMerchant(db(), merchant.merchantNo, { acquirers });
    t.gateway.context.merchants.forget(merchant.merchantNo);
  };
  const funded = async (amount: string) => {
    const merchant = await t.addMerchant({ feeBps: 0, payoutFeeCents: 25 });
    await fundMerchant(t, merchant, amount); // paid through the default, Stripe
    return merchant;
  };
  const balanceOf = async (merchant: TestMerchant) => (await t.post('/v1/balance', {}, { merchant })).body.data;
  const payoutsOf = (merchant: TestMerchant) => db().selectFrom('payouts').select(['acquirer', 'status', 'id']).where('merchant_no', '=', merchant.merchantNo).execute();

  it('with no acquirer that pays out (the default Stripe, or a list of Stripe only) is refused with 8016; nothing is held', async () => {
    const merchant = await funded('50.00');
    const before = await balanceOf(merchant);
    for (const list of [[], ['stripe']]) {
      await useAcquirers(merchant, list);
      const answer = await t.post('/v1/payout', payoutFields(), { merchant });
      expect(answer.body).toMatchObject({ code: '8016', success: false, data: null });
      expect(answer.body.msg).toContain('stripe');
    }
    expect(await balanceOf(merchant)).toEqual(before);
    expect(await payoutsOf(merchant)).toEqual([]);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('goes to the first acquirer in the list that pays out, and records it on the row', async () => {
    const merchant = await funded('50.00');
    await useAcquirers(merchant, ['stripe', 'simulator']);
    const answer = await t.post('/v1/payout', payoutFields({ amount: '10.00' }), { merchant });
    expect(answer.body.data).toMatchObject({ status: '0000' });
    expect(await payoutsOf(merchant)).toMatchObject([{ acquirer: 'simulator', status: '0000' }]);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '39.75' });
  });

  it('the reconciler asks the acquirer recorded on the row, not the default', async () => {
    const merchant = await funded('50.00');
    await useAcquirers(merchant, ['simulator']);
    // The simulator loses the answer for this card: the payout stays PROCESSING.
    const answer = await t.post('/v1/payout', payoutFields({ customerAccount: '4000000000003063' }), { merchant });
    expect(answer.body.data).toMatchObject({ status: '0015' });
    // The merchant's list changes meanwhile; the payout still belongs to the simulator.
    await useAcquirers(merchant, []);
    const [payout] = await payoutsOf(merchant);
    expect(payout).toMatchObject({ acquirer: 'simulator' });
    await db().updateTable('payouts').set({ check_after: new Date(0) }).where('id', '=', payout!.id).execute();
    await reconcilePayouts(t.gateway.context);
    expect(await payoutsOf(merchant)).toMatchObject([{ acquirer: 'simulator', status: '0000' }]);
  });
});
