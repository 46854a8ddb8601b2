import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';

/** Refund and close from the order page: a confirmation page first, then a POST that ends in a 303, and an audit row. */
describeEachDatabase('dashboard order actions', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let paid: { tradeNo: string; platFormTradeNo: string };

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    const customer = await CashierClient.forNewOrder(t, { amount: '80.00' });
    await customer.open();
    await customer.pay('4242424242424242');
    paid = customer;
  });
  afterAll(async () => {
    await t.close();
  });

  const refunds = () => t.gateway.context.db.selectFrom('refunds').selectAll().where('order_no', '=', paid.platFormTradeNo).orderBy('created_at').execute();
  const audits = (action: string) => t.gateway.context.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const hidden = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];

  it('offers a partial refund on the confirmation page and changes nothing until it is posted', async () => {
    const order = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    expect(order.html).toContain('Refund…');
    expect(order.html).toMatch(/name="amount"[^>]*value="80.00"/);
    const confirm = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}/refund?amount=30.00&reason=damaged`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Refund 30.00 USD?');
    expect(confirm.html).toContain('80.00 USD');
    expect(confirm.html).toContain('(partial)');
    expect(confirm.html).toMatch(/<button type="submit" class="danger">Refund 30.00 USD<\/button>/);
    expect(await refunds()).toEqual([]);
  });

  it('refunds on the POST, answers 303 back to the order page, and a second post of the same form refunds nothing more', async () => {
    const confirm = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}/refund?amount=30.00&reason=damaged`);
    const form = { amount: hidden(confirm.html, 'amount')!, reason: hidden(confirm.html, 'reason')!, refundNo: hidden(confirm.html, 'refundNo')! };
    const done = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, form);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/dashboard/orders/${paid.platFormTradeNo}?notice=refunded`);
    // The browser's reload after a redirect repeats the GET only; resubmitting the form keeps its refundNo.
    const after = await operator.get(done.location!);
    expect(after.html).toContain('Refund recorded');
    const again = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, form);
    expect(again.status).toBe(303);
    const rows = await refunds();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount_cents: 3000, reason: 'damaged', status: '0000' });
    expect(after.html).toMatch(/name="amount"[^>]*value="50.00"/);
    expect(after.html).toContain('<span class="status muted">PARTIALLY REFUNDED</span>');
    expect((await operator.get(`/dashboard/orders?q=${paid.platFormTradeNo}`)).html).toContain('<span class="status muted">PARTIALLY REFUNDED</span>');
    const [audit] = await audits('order.refund');
    expect(audit).toMatchObject({ actor_email: 'ops@example.com', target: paid.platFormTradeNo, merchant_no: t.merchant.merchantNo, outcome: 'ok' });
    expect(audit!.after_value).toMatchObject({ refundNo: form.refundNo, amount: '30.00' });
  });

  it('refuses more than what is left to refund, on the confirmation page and on a forged post', async () => {
    const confirm = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}/refund?amount=50.01`);
    expect(confirm.html).toContain('At most 50.00 USD can still be refunded.');
    expect(confirm.html).not.toContain('class="danger"');
    const forged = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, { amount: '50.01', refundNo: 'console-forged', reason: '' });
    expect(forged.status).toBe(303);
    expect(forged.location).toContain('notice=refund-too-much');
    expect((await operator.get(forged.location!)).html).toContain('<p class="notice error" role="alert">Not refunded: the amount is more than can still be refunded');
    expect(await refunds()).toHaveLength(1);
    expect((await audits('order.refund')).at(-1)).toMatchObject({ outcome: 'refused' });
  });

  it('refunds the rest in full, after which no refund is offered', async () => {
    const confirm = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}/refund`);
    expect(confirm.html).toContain('Refund 50.00 USD?');
    await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, { amount: hidden(confirm.html, 'amount')!, reason: '', refundNo: hidden(confirm.html, 'refundNo')! });
    expect((await refunds()).map((r) => r.amount_cents)).toEqual([3000, 5000]);
    const page = await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    expect(page.html).not.toContain('Refund…');
    expect(page.html).toContain('<span class="status muted">REFUNDED</span>');
    expect(page.html).toContain('<dt>Refunded</dt><dd>80.00 USD</dd>');
    expect((await operator.get(`/dashboard/orders?q=${paid.platFormTradeNo}`)).html).toContain('<span class="status muted">REFUNDED</span>');
  });

  it('refuses a refund without the CSRF token, or without the refundNo its confirmation page gives', async () => {
    const page = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, { _csrf: '', amount: '1.00', refundNo: 'console-x' });
    expect(page.status).toBe(403);
    await operator.get(`/dashboard/orders/${paid.platFormTradeNo}`);
    const unconfirmed = await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/refund`, { amount: '1.00' });
    expect(unconfirmed.location).toContain('notice=refund-unconfirmed');
    expect(await refunds()).toHaveLength(2);
  });

  it('closes an open order after confirmation, once, with a notification queued and an audit row', async () => {
    const { body } = await t.post('/v1/checkout', checkoutFields());
    const orderNo = body.data.platFormTradeNo as string;
    expect((await operator.get(`/dashboard/orders/${orderNo}`)).html).toContain('Close order…');
    const confirm = await operator.get(`/dashboard/orders/${orderNo}/close`);
    expect(confirm.html).toContain('The customer can no longer pay this order');
    expect((await t.gateway.context.db.selectFrom('orders').select('status').where('plat_form_trade_no', '=', orderNo).executeTakeFirstOrThrow()).status).toBe('0015');
    const done = await operator.post(`/dashboard/orders/${orderNo}/close`);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/dashboard/orders/${orderNo}?notice=closed`);
    const again = await operator.post(`/dashboard/orders/${orderNo}/close`);
    expect(again.location).toBe(`/dashboard/orders/${orderNo}?notice=closed`);
    const jobs = await t.gateway.context.db.selectFrom('jobs').select('id').where('order_no', '=', orderNo).where('kind', '=', 'notify').execute();
    expect(jobs).toHaveLength(1);
    expect((await audits('order.close')).filter((a) => a.target === orderNo)[0]).toMatchObject({ outcome: 'ok', before_value: { status: 'CREATED' }, after_value: { status: 'CLOSED' } });
    expect((await operator.get(`/dashboard/orders/${paid.platFormTradeNo}/close`)).html).toContain('Only an unpaid order');
    expect((await operator.post(`/dashboard/orders/${paid.platFormTradeNo}/close`)).location).toContain('notice=not-closable');
  });

  it('answers 404 for the actions of an unknown order', async () => {
    expect((await operator.get('/dashboard/orders/zzzzzzzzzzzzzzzz/refund')).status).toBe(404);
    expect((await operator.get('/dashboard/orders/zzzzzzzzzzzzzzzz/close')).status).toBe(404);
    await operator.get('/dashboard/orders');
    expect((await operator.post('/dashboard/orders/zzzzzzzzzzzzzzzz/close')).status).toBe(404);
    expect((await operator.post('/dashboard/orders/zzzzzzzzzzzzzzzz/refund', { amount: '1.00', refundNo: 'x' })).status).toBe(404);
  });
});
