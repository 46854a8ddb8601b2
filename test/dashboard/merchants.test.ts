import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { findMerchant } from '../../src/store/merchants.ts';

describeEachDatabase('dashboard merchants', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
  });
  afterAll(() => t.close());

  const secretOn = (html: string) => /<code class="secret" id="app-secret">([0-9a-f]{64})<\/code>/.exec(html)?.[1];

  it('lists merchants with status, fee and balance, and never their secrets', async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4242424242424242');
    const page = await operator.get('/dashboard/merchants');
    expect(page.status).toBe(200);
    expect(page.html).toContain(t.merchant.merchantNo);
    expect(page.html).toContain('Test Store');
    expect(page.html).toContain('active');
    // 300.00 paid less the default 2.90% fee, not yet settled
    expect(page.html).toMatch(/<td class="num">2\.90%<\/td>\s*<td class="num">0\.00 USD<\/td>\s*<td class="num">291\.30 USD<\/td>/);
    expect(page.html).not.toContain(t.merchant.appSecret);
    expect(secretOn(page.html)).toBeUndefined();
  });

  it('creates a merchant and shows its secret once; the secret works for the API', async () => {
    const created = await operator.post('/dashboard/merchants', { name: 'New Shop', feeBps: '250' });
    expect(created.status).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const appSecret = secretOn(created.html)!;
    const merchantNo = /for <span class="mono">([0-9]{10})<\/span>/.exec(created.html)![1]!;
    expect(created.html).toContain('2.50%');
    const checkout = await t.post('/v1/checkout', checkoutFields(), { merchant: { merchantNo, appSecret } });
    expect(checkout.body.code).toBe('0000');
    const again = await operator.get('/dashboard/merchants');
    expect(again.html).toContain('New Shop');
    expect(again.html).not.toContain(appSecret);
  });

  it('refuses a merchant without a name or with a fee out of range', async () => {
    await operator.get('/dashboard/merchants');
    expect((await operator.post('/dashboard/merchants', { name: '', feeBps: '0' })).status).toBe(400);
    expect((await operator.post('/dashboard/merchants', { name: 'X', feeBps: '10001' })).status).toBe(400);
  });

  it('creates a merchant with the status set chosen, family by default, and changes it', async () => {
    await operator.get('/dashboard/merchants');
    const created = await operator.post('/dashboard/merchants', { name: 'Extended Shop', feeBps: '0', statusSet: 'extended' });
    const merchantNo = /for <span class="mono">([0-9]{10})<\/span>/.exec(created.html)![1]!;
    expect((await findMerchant(t.gateway.context.db, merchantNo))!.status_set).toBe('extended');
    const plain = await operator.post('/dashboard/merchants', { name: 'Plain Shop', feeBps: '0' });
    const plainNo = /for <span class="mono">([0-9]{10})<\/span>/.exec(plain.html)![1]!;
    expect((await findMerchant(t.gateway.context.db, plainNo))!.status_set).toBe('family');
    expect((await operator.post('/dashboard/merchants', { name: 'Odd Shop', feeBps: '0', statusSet: 'all' })).status).toBe(400);

    const changed = await operator.post(`/dashboard/merchants/${merchantNo}/status-set`, { statusSet: 'family' });
    expect(changed.status).toBe(303);
    expect((await findMerchant(t.gateway.context.db, merchantNo))!.status_set).toBe('family');
    expect(changed.location).toBe(`/dashboard/merchants/${merchantNo}?notice=status-set`);
    const page = await operator.get(changed.location!);
    expect(page.html).toContain('Status set saved');
    expect(page.html).toMatch(new RegExp(`action="/dashboard/merchants/${merchantNo}/status-set">.*<option value="family" selected>`));
    expect((await operator.post(`/dashboard/merchants/${merchantNo}/status-set`, { statusSet: 'everything' })).status).toBe(400);
    expect((await operator.post('/dashboard/merchants/0000000000/status-set', { statusSet: 'extended' })).status).toBe(404);
  });

  it('lists merchants plainly (name, status, fee, balances), each linking to its own page, where an operator finds its settings', async () => {
    const list = await operator.get('/dashboard/merchants');
    // Two forms only: logout and the new merchant; no inline settings in the list.
    expect(list.html.match(/<form /g)).toHaveLength(2);
    expect(list.html).toContain(`<a href="/dashboard/merchants/${t.merchant.merchantNo}">Test Store</a>`);
    const own = await operator.get(`/dashboard/merchants/${t.merchant.merchantNo}`);
    for (const action of ['acquirers', 'payout-fee', 'status-set']) expect(own.html).toContain(`action="/dashboard/merchants/${t.merchant.merchantNo}/${action}"`);
    expect(own.html).toContain(`href="/dashboard/merchants/${t.merchant.merchantNo}/disable"`);
    expect(own.html).toContain(`href="/dashboard/merchants/${t.merchant.merchantNo}/edit"`);
  });

  it('disables and enables a merchant', async () => {
    const merchant = await t.addMerchant({ name: 'Toggle Shop' });
    await operator.get('/dashboard/merchants');
    const disabled = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/status`, { status: 'disabled' });
    expect(disabled.status).toBe(303);
    expect((await findMerchant(t.gateway.context.db, merchant.merchantNo))!.status).toBe('disabled');
    expect((await t.post('/v1/checkout', checkoutFields(), { merchant })).body.code).toBe('8004');
    await operator.get('/dashboard/merchants');
    await operator.post(`/dashboard/merchants/${merchant.merchantNo}/status`, { status: 'active' });
    expect((await findMerchant(t.gateway.context.db, merchant.merchantNo))!.status).toBe('active');
    // On the node that made the change it applies at once, cache or not.
    expect((await t.post('/v1/checkout', checkoutFields(), { merchant })).body.code).toBe('0000');
  });

  it('rotates a secret, shows the new one once, and keeps the old one valid for now', async () => {
    const merchant = await t.addMerchant({ name: 'Rotating Shop' });
    await operator.get('/dashboard/merchants');
    const rotated = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const appSecret = secretOn(rotated.html)!;
    expect(appSecret).not.toBe(merchant.appSecret);
    expect(rotated.html).toContain('valid for 24 hours');
    expect((await t.post('/v1/checkout', checkoutFields(), { merchant: { ...merchant, appSecret } })).body.code).toBe('0000');
    expect((await t.post('/v1/checkout', checkoutFields(), { merchant })).body.code).toBe('0000');
    expect((await operator.get('/dashboard/merchants')).html).not.toContain(appSecret);
  });

  it('refuses merchant actions without a CSRF token', async () => {
    await operator.get('/dashboard/merchants');
    expect((await operator.post('/dashboard/merchants', { _csrf: '', name: 'Sneaky' })).status).toBe(403);
    expect((await operator.post(`/dashboard/merchants/${t.merchant.merchantNo}/rotate-secret`, { _csrf: '' })).status).toBe(403);
    expect((await operator.post(`/dashboard/merchants/${t.merchant.merchantNo}/status`, { _csrf: '', status: 'disabled' })).status).toBe(403);
    expect((await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!.status).toBe('active');
  });

  it('pre-fills the new merchant form with the same default fee as the CLI (290 bps)', async () => {
    const page = await operator.get('/dashboard/merchants');
    expect(page.html).toMatch(/id="feeBps" name="feeBps"[^>]*value="290"/);
  });

  it('edits a merchant: fee, amount limits, salt placement and HMAC-only, in force for the API at once', async () => {
    const merchant = await t.addMerchant();
    const form = await operator.get(`/dashboard/merchants/${merchant.merchantNo}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/name="feeBps"[^>]*value="290"/);
    const inverted = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/settings`, { feeBps: '100', minAmount: '50.00', maxAmount: '10.00', saltPlacement: 'suffix' });
    expect(inverted.status).toBe(400);
    expect(inverted.html).toMatch(/minimum amount/);
    const saved = await operator.post(`/dashboard/merchants/${merchant.merchantNo}/settings`, { feeBps: '125', minAmount: '1.00', maxAmount: '20.00', saltPlacement: 'prefix', requireHmac: '1' });
    expect(saved.status).toBe(303);
    const row = await findMerchant(t.gateway.context.db, merchant.merchantNo);
    expect(row).toMatchObject({ fee_bps: 125, salt_placement: 'prefix', require_hmac: true });
    expect(Number(row!.max_amount_cents)).toBe(2000);
    expect((await t.post('/v1/checkout', checkoutFields({ amount: '30.00' }), { merchant, signType: 'HMAC-SHA256' })).body.code).toBe('8007');
    expect((await t.post('/v1/checkout', checkoutFields({ amount: '10.00' }), { merchant })).body.code).toBe('8001');
    expect((await t.post('/v1/checkout', checkoutFields({ amount: '10.00' }), { merchant, signType: 'HMAC-SHA256' })).body.code).toBe('0000');
  });
});
