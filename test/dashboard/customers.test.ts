import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createAdmin, createUser, DashboardClient } from '../support/dashboard-client.ts';

/** A merchant's customer in the console: saved cards, orders and charges, and deleting a card through a confirmation page. */
describeEachDatabase('dashboard customer page', (kind) => {
  let t: TestGateway;
  let other: TestMerchant;
  let operator: DashboardClient;
  let shop: DashboardClient;
  let viewer: DashboardClient;
  const customerId = `cus-${kind}-1`;
  let paidOrderNo: string;
  let chargeOrderNo: string;
  let cardToken: string;
  let customerPage: string;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    other = await t.addMerchant({ name: 'Other Store', feeBps: 0 });
    const customer = await CashierClient.forNewOrder(t, { customerId, saveCard: 'required' });
    await customer.open();
    expect((await customer.pay('5555555555554444', { expiry: '07/31' })).status).toBe(200);
    const order = (await t.post('/v1/checkout/query', { tradeNo: customer.tradeNo })).body.data;
    cardToken = order.cardToken;
    paidOrderNo = customer.platFormTradeNo;
    const charged = await t.post('/v1/charge', { tradeNo: `MIT-${kind}`, amount: '9.99', currency: 'USD', customerId, cardToken, notifyUrl: 'https://merchant.example/n', reason: 'RECURRING' });
    expect(charged.body.code).toBe('0000');
    chargeOrderNo = charged.body.data.platFormTradeNo;
    customerPage = `/dashboard/merchants/${t.merchant.merchantNo}/customers/${customerId}`;

    const db = t.gateway.context.db;
    const admin = await createAdmin(db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    const shopUser = await createUser(db, { email: 'shop@example.com', role: 'merchant-admin', merchantNo: t.merchant.merchantNo });
    shop = new DashboardClient(t.gateway.app);
    await shop.logIn(shopUser.email, shopUser.password);
    const reader = await createUser(db, { email: 'reader@example.com', role: 'merchant-viewer', merchantNo: t.merchant.merchantNo });
    viewer = new DashboardClient(t.gateway.app);
    await viewer.logIn(reader.email, reader.password);
  });
  afterAll(() => t.close());

  const audits = () => t.gateway.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'card.delete').orderBy('id').execute();
  const savedCards = async () => (await t.post('/v1/card/list', { customerId })).body.data.cards as { cardToken: string }[];

  it('links the order page to the customer, whose page shows the saved card, the order that saved it and the merchant-initiated charge', async () => {
    const order = await operator.get(`/dashboard/orders/${paidOrderNo}`);
    expect(order.html).toContain(`href="${customerPage}"`);
    const page = await operator.get(customerPage);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Mastercard •••• 4444');
    expect(page.html).toContain('07/2031');
    expect(page.html).toContain(cardToken);
    const [cards, orders] = page.html.split('id="orders"');
    expect(cards).toContain(`href="/dashboard/orders/${paidOrderNo}"`);
    expect(orders).toContain(`href="/dashboard/orders/${paidOrderNo}"`);
    expect(orders).toContain(`href="/dashboard/orders/${chargeOrderNo}"`);
    // Newest first: the charge, marked, then the customer's own payment.
    expect(orders!.indexOf(chargeOrderNo)).toBeLessThan(orders!.indexOf(paidOrderNo));
    expect(orders!.match(/MERCHANT-INITIATED/g)).toHaveLength(1);
    expect(page.html).toContain(`action="${customerPage}/cards/${cardToken}/delete"`);
  });

  it('scopes the page: the merchant\'s users see it (a viewer without Delete), another merchant\'s customer id and a malformed one are 404', async () => {
    expect((await shop.get(customerPage)).html).toContain(cardToken);
    const read = await viewer.get(customerPage);
    expect(read.html).toContain(cardToken);
    expect(read.html).not.toContain('Delete…');
    expect((await shop.get(`/dashboard/merchants/${other.merchantNo}/customers/${customerId}`)).status).toBe(404);
    expect((await operator.get(`/dashboard/merchants/${t.merchant.merchantNo}/customers/has%20space`)).status).toBe(404);
    expect((await operator.get(`/dashboard/merchants/${t.merchant.merchantNo}/customers/nobody`)).html).toContain('No saved card.');
    // The card is the merchant's: under another merchant, or another customer, there is nothing to delete.
    expect((await operator.get(`/dashboard/merchants/${other.merchantNo}/customers/${customerId}/cards/${cardToken}/delete`)).status).toBe(404);
    expect((await operator.get(`/dashboard/merchants/${t.merchant.merchantNo}/customers/nobody/cards/${cardToken}/delete`)).status).toBe(404);
    await operator.get(customerPage);
    expect((await operator.post(`/dashboard/merchants/${t.merchant.merchantNo}/customers/nobody/cards/${cardToken}/delete`)).location).toMatch(/notice=card-gone$/);
    const viewerPost = await viewer.post(`${customerPage}/cards/${cardToken}/delete`);
    expect(viewerPost.status).toBe(403);
    expect(await savedCards()).toEqual([expect.objectContaining({ cardToken })]);
  });

  it('deletes the card from its confirmation page: gone from the API and the cashier, detached at the acquirer, audited; a second post deletes nothing', async () => {
    const confirm = await shop.get(`${customerPage}/cards/${cardToken}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Delete the saved Mastercard •••• 4444?');
    expect(await savedCards()).toHaveLength(1);
    const done = await shop.post(`${customerPage}/cards/${cardToken}/delete`);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${customerPage}?notice=card-deleted`);
    const after = await shop.get(done.location!);
    expect(after.html).toContain('Saved card deleted');
    expect(after.html).toContain('No saved card.');
    expect(after.html).toContain(chargeOrderNo);
    expect(await savedCards()).toEqual([]);
    expect((await t.post('/v1/charge', { tradeNo: `MIT2-${kind}`, amount: '1.00', currency: 'USD', customerId, cardToken, notifyUrl: 'https://merchant.example/n', reason: 'RECURRING' })).body.code).toBe('8009');
    const tokens = await t.gateway.context.db.selectFrom('simulator_card_tokens').select('record').execute();
    expect(tokens.map((row) => row.record as { deleted: boolean }).filter((record) => record.deleted)).toHaveLength(1);

    const again = await shop.post(`${customerPage}/cards/${cardToken}/delete`);
    expect(again.location).toBe(`${customerPage}?notice=card-gone`);
    const rows = await audits();
    expect(rows.map((row) => [row.actor_email, row.merchant_no, row.target, row.outcome])).toEqual([
      ['ops@example.com', t.merchant.merchantNo, cardToken, 'refused'],
      ['shop@example.com', t.merchant.merchantNo, cardToken, 'ok'],
      ['shop@example.com', t.merchant.merchantNo, cardToken, 'refused'],
    ]);
    expect(rows[1]!.before_value).toEqual({ customerId, card: 'Mastercard •••• 4444', expiry: '07/2031' });
    expect(JSON.stringify(rows)).not.toContain('5555555555554444');
  });
});
