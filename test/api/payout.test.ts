import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { until } from '../support/until.ts';
import { fundMerchant, payoutFields } from '../support/payouts.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { reconcilePayouts } from '../../src/payments/reconcile-payouts.ts';
import { cents } from '../../src/domain/money.ts';
import { verifyBody } from '../../src/domain/signature.ts';

describeEachDatabase('payouts', (kind) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const balanceOf = async (merchant: TestMerchant) => (await t.post('/v1/balance', {}, { merchant })).body.data;
  const funded = async (amount: string, options: { payoutFeeCents?: number } = {}) => {
    const merchant = await t.addMerchant({ feeBps: 0, ...options });
    await fundMerchant(t, merchant, amount);
    return merchant;
  };
  const expectLedgerHealthy = async () => expect(await checkLedger(t.gateway.context.db)).toEqual([]);

  it('pays out of the available balance to a card, through every path of the family', async () => {
    const merchant = await funded('100.00');
    const paths = ['/v1/payout', '/v1/someprovider/payOut', '/v1/someprovider/payout', '/v1/someprovider/disbursements'];
    for (const path of paths) {
      const fields = payoutFields({ amount: '10.00' });
      const answer = await t.post(path, fields, { merchant });
      expect(answer.body).toMatchObject({ code: '0000', success: true, data: { tradeNo: fields.tradeNo, status: '0000', desc: 'SUCCESS', remark: 'weekly payout' } });
      expect(answer.body.data.platFormTradeNo).toMatch(/^[0-9a-z]{16}$/);
    }
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '60.00' });
    await expectLedgerHealthy();
  });

  it('answers a payout by tradeNo or platFormTradeNo on both query paths, and 8009 for an unknown one', async () => {
    const merchant = await funded('50.00');
    const fields = payoutFields({ amount: '12.34', customerAccount: '5555555555554444' });
    const created = (await t.post('/v1/payout', fields, { merchant })).body.data;
    for (const path of ['/v1/payout/query', '/v1/acme/queryPayOutResult']) {
      for (const reference of [{ tradeNo: fields.tradeNo! }, { platFormTradeNo: created.platFormTradeNo }] as Record<string, string>[]) {
        const { body } = await t.post(path, reference, { merchant });
        expect(body.data).toMatchObject({
          tradeNo: fields.tradeNo,
          platFormTradeNo: created.platFormTradeNo,
          orderAmount: '12.34',
          payAmount: '12.34',
          status: '0000',
          message: 'SUCCESS',
          cardLast4: '4444',
        });
        expect(body.data.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      }
    }
    expect((await t.post('/v1/payout/query', { tradeNo: 'nope' }, { merchant })).body.code).toBe('8009');
    expect((await t.post('/v1/payout/query', {}, { merchant })).body).toMatchObject({ code: '8002', msg: expect.stringContaining('tradeNo') });
    // Another merchant cannot see it.
    expect((await t.post('/v1/payout/query', { tradeNo: fields.tradeNo! })).body.code).toBe('8009');
  });

  it('refuses an amount plus fee above availableAmount with 8015, and holds nothing', async () => {
    const merchant = await funded('20.00', { payoutFeeCents: 50 });
    const over = await t.post('/v1/payout', payoutFields({ amount: '19.51' }), { merchant });
    expect(over.body).toMatchObject({ code: '8015', success: false, data: null });
    expect(over.body.msg).toMatch(/19\.51.*0\.50.*20\.00/);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '20.00' });
    const exact = await t.post('/v1/payout', payoutFields({ amount: '19.50' }), { merchant });
    expect(exact.body.data.status).toBe('0000');
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '0.00' });
    expect((await t.post('/v1/payout', payoutFields({ amount: '0.01' }), { merchant })).body.code).toBe('8015');
    await expectLedgerHealthy();
  });

  it('does not pay out what is paid but not settled yet', async () => {
    const merchant = await t.addMerchant({ feeBps: 0 });
    const { CashierClient } = await import('../support/cashier-client.ts');
    const customer = await CashierClient.forNewOrder(t, { amount: '30.00' }, merchant);
    await customer.open();
    await customer.pay('4242424242424242');
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '0.00', unsettledAmount: '30.00' });
    expect((await t.post('/v1/payout', payoutFields({ amount: '1.00' }), { merchant })).body.code).toBe('8015');
  });

  it('gives the money back, fee included, when the card refuses the payout (00029)', async () => {
    const merchant = await funded('40.00', { payoutFeeCents: 100 });
    const answer = await t.post('/v1/payout', payoutFields({ amount: '25.00', customerAccount: '4000000000000002' }), { merchant });
    expect(answer.body.data).toMatchObject({ status: '00029', desc: 'FAILED: DO_NOT_HONOR' });
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '40.00' });
    await expectLedgerHealthy();
  });

  it('is idempotent by tradeNo, and refuses the same tradeNo with any field changed (8005)', async () => {
    const merchant = await funded('30.00');
    const fields = payoutFields({ amount: '5.00' });
    const first = await t.post('/v1/payout', fields, { merchant });
    const again = await t.post('/v1/payout', fields, { merchant });
    expect(again.body).toMatchObject({ code: '0000', data: first.body.data });
    for (const change of [{ amount: '6.00' }, { customerAccount: '5555555555554444' }, { customerName: 'Someone Else' }, { remark: 'other' }] as Record<string, string>[]) {
      expect((await t.post('/v1/payout', { ...fields, ...change }, { merchant })).body.code).toBe('8005');
    }
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '25.00' });
  });

  it('makes one payout of identical requests racing each other', async () => {
    const merchant = await funded('30.00');
    const fields = payoutFields({ amount: '7.00' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.post('/v1/payout', fields, { merchant })));
    expect(new Set(answers.map((answer) => answer.body.data?.platFormTradeNo)).size).toBe(1);
    expect(answers.every((answer) => answer.body.code === '0000')).toBe(true);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '23.00' });
    const count = await t.gateway.context.db.selectFrom('payouts').select('id').where('merchant_no', '=', merchant.merchantNo).execute();
    expect(count).toHaveLength(1);
  });

  it('never overdraws when different payouts race for the same balance', async () => {
    const merchant = await funded('50.00', { payoutFeeCents: 25 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.post('/v1/payout', payoutFields({ amount: '9.75' }), { merchant })));
    const codes = answers.map((answer) => answer.body.code).sort();
    expect(codes).toEqual(['0000', '0000', '0000', '0000', '0000', '8015', '8015', '8015']);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '0.00' });
    await expectLedgerHealthy();
  });

  it('checks every field and names it in msg', async () => {
    const merchant = await funded('10.00');
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ tradeNo: '' }, '8002', /tradeNo/],
      [{ tradeNo: 'bad no!' }, '8002', /tradeNo/],
      [{ amount: '' }, '8002', /amount/],
      [{ amount: '1.234' }, '8007', /amount/],
      [{ amount: '0' }, '8007', /amount/],
      [{ currency: 'EUR' }, '8006', /currency/],
      [{ customerName: '' }, '8002', /customerName/],
      [{ customerAccountType: 'BankAccount' }, '8002', /customerAccountType/],
      [{ customerAccountType: '' }, '8002', /customerAccountType/],
      [{ customerAccount: '' }, '8002', /customerAccount/],
      [{ customerAccount: '4242424242424241' }, '8002', /customerAccount.*Luhn/],
      [{ customerAccount: '378282246310005' }, '8002', /customerAccount.*Visa or Mastercard/],
      [{ customerAccount: '4242-4242' }, '8002', /customerAccount/],
      [{ customerMobile: '12' }, '8002', /customerMobile/],
      [{ customerEmail: 'not-an-email' }, '8002', /customerEmail/],
      [{ notifyUrl: 'ftp://x.example' }, '8013', /notifyUrl/],
      [{ notifyUrl: '' }, '8002', /notifyUrl/],
      [{ remark: 'x'.repeat(257) }, '8002', /remark/],
    ];
    for (const [change, code, msg] of cases) {
      const { status, body } = await t.post('/v1/payout', payoutFields(change), { merchant });
      expect({ change, status, code: body.code }).toEqual({ change, status: 200, code });
      expect(body.msg).toMatch(msg);
    }
    const { customerMobile: _m, customerEmail: _e, remark: _r, ...minimal } = payoutFields({ amount: '1.00' });
    expect((await t.post('/v1/payout', minimal, { merchant })).body.data.status).toBe('0000');
    expect((await t.post('/v1/payout', payoutFields({ amount: '1.00', customerMobile: '+918234567890', customerEmail: 'a@b.example' }), { merchant })).body.code).toBe('0000');
  });

  it('answers 405 to a GET on a payout path', async () => {
    const response = await t.gateway.app.inject({ method: 'GET', url: '/v1/acme/queryPayOutResult' });
    expect(response.statusCode).toBe(405);
  });

  it('settles a payout whose answer was lost (the 3063 card) through the reconciler, paid exactly once', async () => {
    const merchant = await funded('30.00');
    const fields = payoutFields({ amount: '10.00', customerAccount: '4000000000003063' });
    const answer = await t.post('/v1/payout', fields, { merchant });
    expect(answer.body.data).toMatchObject({ status: '0015', desc: 'PROCESSING' });
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '20.00' });
    const row = await t.gateway.context.db.selectFrom('payouts').selectAll().where('trade_no', '=', fields.tradeNo!).executeTakeFirstOrThrow();
    expect(row.card_sealed).not.toBeNull();
    // The reconciler waits for the acquirer call to have surely ended (timeout + margin).
    await t.gateway.context.db.updateTable('payouts').set({ check_after: new Date(0) }).where('id', '=', row.id).execute();
    expect(await reconcilePayouts(t.gateway.context)).toBeGreaterThanOrEqual(1);
    const query = await t.post('/v1/payout/query', { tradeNo: fields.tradeNo! }, { merchant });
    expect(query.body.data.status).toBe('0000');
    expect(await t.acquirer.payoutCount(row.id)).toBe(1);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '20.00' });
    await expectLedgerHealthy();
  });

  it('sends a payout the acquirer never received again with the same key, once', async () => {
    const merchant = await funded('30.00');
    const { bin, last4 } = await import('../../src/domain/card.ts');
    const { createPayout } = await import('../../src/store/payouts.ts');
    // As if the process died between recording the payout and calling the acquirer.
    const { payout } = await createPayout(t.gateway.context.db, {
      merchantNo: merchant.merchantNo,
      tradeNo: `crash${Date.now()}`,
      requestHash: 'h',
      amountCents: cents(800),
      currency: 'USD',
      customerName: 'Grace Hopper',
      customerMobile: null,
      customerEmail: null,
      notifyUrl: 'https://merchant.example/n',
      acquirer: 'simulator',
      remark: null,
      card: { brand: 'visa', bin: bin('4242424242424242'), last4: last4('4242424242424242'), fingerprint: 'f', sealed: t.gateway.context.masterKey.seal('4242424242424242') },
      checkAfter: new Date(0),
    });
    await Promise.all([reconcilePayouts(t.gateway.context), reconcilePayouts(t.gateway.context)]);
    const ended = await t.gateway.context.db.selectFrom('payouts').selectAll().where('id', '=', payout.id).executeTakeFirstOrThrow();
    expect(ended).toMatchObject({ status: '0000', card_sealed: null });
    expect(await t.acquirer.payoutCount(payout.id)).toBe(1);
    expect(await balanceOf(merchant)).toMatchObject({ availableAmount: '22.00' });
  });

  it('notifies the merchant when a payout ends: signed, notifyType PAYOUT, with the fields of section 12', async () => {
    t.gateway.startWorkers({ pollMs: 100 });
    const merchant = await funded('30.00');
    const paid = payoutFields({ amount: '4.00', notifyUrl: `${receiver.url}/payout/paid` });
    const failed = payoutFields({ amount: '3.00', customerAccount: '4000000000000002', notifyUrl: `${receiver.url}/payout/failed` });
    await t.post('/v1/payout', paid, { merchant });
    await t.post('/v1/payout', failed, { merchant });
    const paidNotice = await until(() => receiver.received.find((r) => r.body.tradeNo === paid.tradeNo));
    const failedNotice = await until(() => receiver.received.find((r) => r.body.tradeNo === failed.tradeNo));
    expect(paidNotice.body).toMatchObject({ notifyType: 'PAYOUT', status: '0000', message: 'SUCCESS', amount: '4.00', remark: 'weekly payout' });
    expect(paidNotice.body.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(paidNotice.body.notifyId).toMatch(/^[0-9a-f]{32}$/);
    expect(paidNotice.body.timestamp).toMatch(/^\d+$/);
    expect(paidNotice.body.platFormTradeNo).toMatch(/^[0-9a-z]{16}$/);
    expect(failedNotice.body).toMatchObject({ notifyType: 'PAYOUT', status: '00029', message: 'FAILED: DO_NOT_HONOR', amount: '3.00' });
    expect(failedNotice.body.successTime).toBeUndefined();
    expect(() => verifyBody(paidNotice.body, { secrets: [merchant.appSecret], requireHmac: false })).not.toThrow();
  });
});
