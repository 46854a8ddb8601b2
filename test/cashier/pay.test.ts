import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { until } from '../support/until.ts';
import { reconcileAttempts } from '../../src/payments/reconcile-attempts.ts';

describeEachDatabase('paying on the cashier page', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { MAX_ATTEMPTS: 3 });
  });
  afterAll(() => t.close());

  const query = async (tradeNo: string) => (await t.post('/v1/checkout/query', { tradeNo })).body.data;
  const attempts = (orderNo: string) => t.gateway.context.db.selectFrom('payment_attempts').selectAll().where('order_no', '=', orderNo).orderBy('created_at').execute();

  it('shows the merchant, amount, remark and the labelled card form', async () => {
    const customer = await CashierClient.forNewOrder(t, { amount: '42.10', remark: 'Order #7' });
    const page = await customer.open();
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    for (const text of ['Test Store', '42.10', 'USD', 'Order #7', 'Card number', 'Expiry (MM/YY)', 'CVC', 'Name on card', 'Pay 42.10']) {
      expect(page.html).toContain(text);
    }
  });

  it.each([
    ['Visa', '4242 4242 4242 4242', 'visa'],
    ['Mastercard', '5555555555554444', 'mastercard'],
    ['Mastercard 2-series', '2223 0031 2200 3222', 'mastercard'],
  ])('pays with %s: receipt, order paid, notification and receipt email queued', async (_name, number, brand) => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const paid = await customer.pay(number);
    expect(paid.status).toBe(200);
    expect(paid.html).toContain(customer.platFormTradeNo);
    const last4 = number.replace(/\s/g, '').slice(-4);
    expect(paid.html).toContain(last4);
    expect(await query(customer.tradeNo)).toMatchObject({ status: '0000', desc: 'SUCCESS', cardBrand: brand, cardLast4: last4, payAmount: '300.00' });
    const jobs = await t.gateway.context.db.selectFrom('jobs').select('kind').where('order_no', '=', customer.platFormTradeNo).execute();
    expect(jobs.map((job) => job.kind).sort()).toEqual(['email', 'notify']);
    const [attempt] = await attempts(customer.platFormTradeNo);
    expect(attempt).toMatchObject({ status: 'approved', card_brand: brand, card_last4: last4, card_bin: number.replace(/\s/g, '').slice(0, 6) });
  });

  it('sends the customer back to returnUrl with a signed query', async () => {
    const customer = await CashierClient.forNewOrder(t, { returnUrl: 'https://shop.example/back?cart=9' });
    await customer.open();
    const paid = await customer.pay('4242424242424242');
    const href = /href="(https:\/\/shop\.example\/back[^"]+)"/.exec(paid.html)![1]!.replace(/&amp;/g, '&');
    const url = new URL(href);
    expect(url.searchParams.get('cart')).toBe('9');
    expect(url.searchParams.get('tradeNo')).toBe(customer.tradeNo);
    expect(url.searchParams.get('platFormTradeNo')).toBe(customer.platFormTradeNo);
    expect(url.searchParams.get('status')).toBe('0000');
    const { buildSignString, signString } = await import('../../src/domain/signature.ts');
    const signed = { tradeNo: customer.tradeNo, platFormTradeNo: customer.platFormTradeNo, status: '0000', timestamp: url.searchParams.get('timestamp')! };
    expect(url.searchParams.get('sign')).toBe(signString(buildSignString(signed), t.merchant.appSecret, { signType: 'MD5', placement: 'suffix' }));
  });

  it('after a decline, says so in one generic sentence and lets the customer pay with another card', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const declined = await customer.pay('4000 0000 0000 9995');
    expect(declined.status).toBe(200);
    expect(declined.html).toMatch(/declined/i);
    expect(declined.html).not.toMatch(/INSUFFICIENT|funds/i);
    expect(await query(customer.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
    const paid = await customer.pay('4242424242424242');
    expect(paid.status).toBe(200);
    expect((await query(customer.tradeNo)).status).toBe('0000');
    expect((await attempts(customer.platFormTradeNo)).map((a) => [a.status, a.reason])).toEqual([
      ['declined', 'INSUFFICIENT_FUNDS'],
      ['approved', null],
    ]);
  });

  it('fails the order with the reason at the attempt limit', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4000000000000002');
    await customer.pay('4000000000000002');
    const last = await customer.pay('4242424242424242', { holder: 'DECLINED' });
    expect(last.status).toBe(410);
    expect(await query(customer.tradeNo)).toMatchObject({ status: '00029', desc: 'FAILED: DO_NOT_HONOR' });
    const page = await customer.open();
    expect(page.status).toBe(410);
  });

  it('passes 3-D Secure with 123456 and declines any other code', async () => {
    const passing = await CashierClient.forNewOrder(t);
    await passing.open();
    const challenge = await passing.pay('4000000000003220');
    expect(challenge.html).toContain('Verification code');
    expect(challenge.html).toContain('Submit');
    expect(challenge.html).toContain('Test code: 123456');
    const done = await passing.answerChallenge(challenge.html, '123456');
    expect(done.status).toBe(200);
    expect((await query(passing.tradeNo)).status).toBe('0000');

    const failing = await CashierClient.forNewOrder(t);
    await failing.open();
    const mcChallenge = await failing.pay('5200000000002151');
    const refused = await failing.answerChallenge(mcChallenge.html, '000000');
    expect(refused.html).toContain('Card number');
    expect(await query(failing.tradeNo)).toMatchObject({ status: '0015', desc: 'CREATED' });
    expect((await attempts(failing.platFormTradeNo))[0]).toMatchObject({ status: 'declined', reason: 'AUTHENTICATION_FAILED' });
  });

  it('after a failed 3-D Secure, fills name and expiry back in like a decline, never the card number or CVC', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const challenge = await customer.pay('5200000000002151', { holder: 'Grace "G" O\'Hopper', expiry: '11 / 33' });
    const refused = await customer.answerChallenge(challenge.html, '000000');
    expect(refused.html).toContain('Your bank could not verify this payment.');
    expect(refused.html).toMatch(/<input id="holder"[^>]* value="Grace &quot;G&quot; O(&#39;|&#x27;)Hopper"/);
    expect(refused.html).toMatch(/<input id="expiry"[^>]* value="11 \/ 33"/);
    expect(refused.html).not.toMatch(/<input id="cardNumber"[^>]* value=/);
    expect(refused.html).not.toMatch(/<input id="cvc"[^>]* value=/);
    expect(refused.html).not.toContain('5200000000002151');
  });

  it('a challenge answered while the reconciler ends it as abandoned is either paid and charged once, or neither', async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await CashierClient.forNewOrder(t);
      await customer.open();
      const challenge = await customer.pay('4000000000003220');
      const [attempt] = await attempts(customer.platFormTradeNo);
      await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attempt!.id).execute();
      await Promise.all([customer.answerChallenge(challenge.html, '123456'), reconcileAttempts(t.gateway.context)]);
      const order = await query(customer.tradeNo);
      const charged = await t.acquirer.chargeCount(attempt!.id);
      expect(charged).toBe(order.status === '0000' ? 1 : 0);
      const [settled] = await attempts(customer.platFormTradeNo);
      expect(['approved', 'error']).toContain(settled!.status);
    }
  });

  it('shows the challenge again on reload, and asks again for a malformed code', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4000000000003220');
    const reloaded = await customer.open();
    expect(reloaded.html).toContain('Verification code');
    const malformed = await customer.answerChallenge(reloaded.html, '12');
    expect(malformed.html).toContain('Verification code');
    expect(malformed.html).toContain('aria-invalid="true"');
  });

  it('refuses Amex and a number failing Luhn on the page, with no attempt made', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const amex = await customer.pay('3782 822463 10005');
    expect(amex.status).toBe(400);
    expect(amex.html).toMatch(/not accepted/);
    const luhn = await customer.pay('4242 4242 4242 4241');
    expect(luhn.status).toBe(400);
    expect(luhn.html).not.toContain('4242 4242 4242 4241');
    expect(await attempts(customer.platFormTradeNo)).toHaveLength(0);
  });

  it('settles an acquirer timeout by reconciliation, charging the card once', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    const pending = await customer.pay('4000000000003063');
    expect(pending.status).toBe(200);
    expect((await query(customer.tradeNo)).desc).toBe('PROCESSING');
    const [attempt] = await attempts(customer.platFormTradeNo);
    expect(attempt!.status).toBe('unknown');
    // A second try while the first is in doubt starts nothing.
    await customer.pay('4242424242424242');
    expect(await attempts(customer.platFormTradeNo)).toHaveLength(1);
    await t.gateway.context.db.updateTable('payment_attempts').set({ check_after: new Date(0) }).where('id', '=', attempt!.id).execute();
    await reconcileAttempts(t.gateway.context);
    expect((await query(customer.tradeNo)).status).toBe('0000');
    expect(await t.acquirer.chargeCount(attempt!.id)).toBe(1);
  });

  it('charges once when two tabs pay the same order at the same moment', async () => {
    const first = await CashierClient.forNewOrder(t);
    await first.open();
    const second = new CashierClient(t, first.token);
    await second.open();
    const [a, b] = await Promise.all([first.pay('4242424242424242'), second.pay('5555555555554444')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const all = await attempts(first.platFormTradeNo);
    expect(all).toHaveLength(1);
    const charges = await Promise.all(all.map((x) => t.acquirer.chargeCount(x.id)));
    expect(charges).toEqual([1]);
  });

  it('a replayed form after payment shows the receipt and charges nothing', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4242424242424242');
    const replay = await customer.pay('4242424242424242');
    expect(replay.status).toBe(200);
    expect(replay.html).toContain(customer.platFormTradeNo);
    expect(await attempts(customer.platFormTradeNo)).toHaveLength(1);
    expect((await customer.open()).status).toBe(410);
  });

  it('answers clear pages for unknown, malformed, closed and expired links, never 5xx', async () => {
    const unknown = await t.gateway.app.inject({ method: 'GET', url: `/checkout?data=${'a'.repeat(64)}` });
    expect(unknown.statusCode).toBe(404);
    for (const url of ['/checkout', '/checkout?data=xyz', '/checkout?data[]=1', `/checkout?data=${'A'.repeat(64)}`]) {
      expect((await t.gateway.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
    const closed = await CashierClient.forNewOrder(t);
    await t.post('/v1/checkout/close', { tradeNo: closed.tradeNo });
    expect((await closed.open()).status).toBe(410);
    const expired = await CashierClient.forNewOrder(t);
    await t.gateway.context.db.updateTable('orders').set({ expires_at: new Date(Date.now() - 1000) }).where('plat_form_trade_no', '=', expired.platFormTradeNo).execute();
    const page = await expired.open();
    expect(page.status).toBe(410);
    expect(page.html).toMatch(/expired/i);
  });

  it('answers repeated fields with the page, never a 5xx', async () => {
    const customer = await CashierClient.forNewOrder(t);
    const page = await customer.open('&lang=en&lang=es');
    expect(page.status).toBe(200);
    const form = new URLSearchParams({ data: customer.token, _csrf: customer.csrf, lang: 'en', expiry: '12/34', cvc: '123', holder: 'A' });
    form.append('cardNumber', '4242424242424242');
    form.append('cardNumber', '4242424242424242');
    form.append('lang', 'es');
    const posted = await t.gateway.app.inject({
      method: 'POST',
      url: '/checkout/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: customer.cookie },
      payload: form.toString(),
    });
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('Card number');
    expect(await attempts(customer.platFormTradeNo)).toHaveLength(0);
  });

  it('refuses a form without its CSRF token with a clear page', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    customer.csrf = 'forged';
    const forged = await customer.pay('4242424242424242');
    expect(forged.status).toBe(400);
    expect(await attempts(customer.platFormTradeNo)).toHaveLength(0);
    const bare = await t.gateway.app.inject({ method: 'POST', url: '/checkout/pay', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'data=x' });
    expect(bare.statusCode).toBe(400);
  });

  it('never stores the card number or the CVC', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('5555555555554444', { cvc: '987' });
    const dump = await sql<{ text: string }>`
      SELECT string_agg(t::text, ' ') AS text FROM (
        SELECT row_to_json(o)::text AS t FROM orders o UNION ALL SELECT row_to_json(a)::text FROM payment_attempts a
        UNION ALL SELECT row_to_json(e)::text FROM order_events e UNION ALL SELECT row_to_json(j)::text FROM jobs j) rows`.execute(t.gateway.context.db);
    const text = dump.rows[0]!.text;
    expect(text).toContain('555555');
    expect(text).not.toContain('5555555555554444');
    expect(text).not.toMatch(/"987"|"cvc"/i);
  });

  it('caps declines per card: past the cap the page refuses for a while', async () => {
    const capped = await startTestGateway(kind, { CARD_DECLINES_PER_DAY: 2, MAX_ATTEMPTS: 10 });
    try {
      const customer = await CashierClient.forNewOrder(capped);
      await customer.open();
      expect((await customer.pay('4000000000000002')).status).toBe(200);
      expect((await customer.pay('4000000000000002')).status).toBe(200);
      const refused = await customer.pay('4000000000000002');
      expect(refused.status).toBe(429);
      expect(await capped.gateway.context.db.selectFrom('payment_attempts').select('id').execute()).toHaveLength(2);
      // Another card on another order is not affected by this card's cap.
      const other = await CashierClient.forNewOrder(capped);
      await other.open();
      expect((await other.pay('4242424242424242')).status).toBe(200);
    } finally {
      await capped.close();
    }
  });

  it('caps declines per client address: past the cap, any card is refused from there', async () => {
    const capped = await startTestGateway(kind, { IP_DECLINES_PER_HOUR: 2, MAX_ATTEMPTS: 10 });
    try {
      const customer = await CashierClient.forNewOrder(capped);
      await customer.open();
      expect((await customer.pay('4000000000000002')).status).toBe(200);
      expect((await customer.pay('4000000000009995')).status).toBe(200);
      const refused = await customer.pay('4242424242424242');
      expect(refused.status).toBe(429);
      expect(refused.html).toMatch(/too many|try again later/i);
      expect((await capped.post('/v1/checkout/query', { tradeNo: customer.tradeNo })).body.data.status).toBe('0015');
    } finally {
      await capped.close();
    }
  });

  it('the paid notification carries successTime', async () => {
    const { startReceiver } = await import('../support/merchant-receiver.ts');
    const receiver = await startReceiver();
    const workers = t.gateway.startWorkers({ pollMs: 100 });
    try {
      const customer = await CashierClient.forNewOrder(t, { notifyUrl: `${receiver.url}/paid` });
      await customer.open();
      await customer.pay('4242424242424242');
      const [delivery] = await until(() => receiver.received.length > 0 && receiver.received);
      expect(delivery!.body).toMatchObject({ notifyType: 'PAYMENT', status: '0000', message: 'SUCCESS', amount: '300.00' });
      expect(delivery!.body.successTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    } finally {
      await workers.stop();
      await receiver.close();
    }
  });
});
