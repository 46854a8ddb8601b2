import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { oneMerchant } from '../../src/domain/console-scope.ts';
import { merchantBalance } from '../../src/store/ledger/ledger-balances.ts';
import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { eachStatementLine, findScopedMerchant, listSettlements, listStatement } from '../../src/store/console/merchant-statement.ts';
import { findMerchant } from '../../src/store/merchants.ts';

describeEachDatabase("dashboard merchant's own page", (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let other: TestMerchant;
  let page: string;

  async function pay(amount: string, merchant?: TestMerchant) {
    const customer = await CashierClient.forNewOrder(t, { amount }, merchant);
    await customer.open();
    await customer.pay('4242424242424242');
    return customer.platFormTradeNo;
  }

  beforeAll(async () => {
    t = await startTestGateway(kind);
    other = await t.addMerchant({ name: 'Other Shop', feeBps: 0 });
    await t.gateway.context.db.updateTable('merchants').set({ fee_bps: 0 }).execute();
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    // No fee, so the figures are round: 100.00 paid and settled, 30.00 paid, 10.00 of it refunded.
    await pay('100.00');
    await settlePayments(t.gateway.context.db, 0, new Date(Date.now() + 1000));
    const second = await pay('30.00');
    await t.post('/v1/refund', { platFormTradeNo: second, refundNo: 'R-1', amount: '10.00' });
    await pay('7.00', other);
    page = `/dashboard/merchants/${t.merchant.merchantNo}`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists postings newest first with a running balance that ends at the balance', async () => {
    const db = t.gateway.context.db;
    const { lines } = await listStatement(db, oneMerchant(t.merchant.merchantNo), t.merchant.merchantNo, { limit: 50 });
    expect(lines.map((l) => [l.kind, l.pendingCents, l.availableCents, l.balanceCents])).toEqual([
      ['refund', -1000, 0, 12000],
      ['payment', 3000, 0, 13000],
      ['settlement', -10000, 10000, 10000],
      ['payment', 10000, 0, 10000],
    ]);
    const balance = await merchantBalance(db, t.merchant.merchantNo);
    expect(balance.available + balance.unsettled + balance.frozen).toBe(lines[0]!.balanceCents);
    // Page by page, the running balance is the same as on one page.
    const first = await listStatement(db, oneMerchant(t.merchant.merchantNo), t.merchant.merchantNo, { limit: 3 });
    const rest = await listStatement(db, oneMerchant(t.merchant.merchantNo), t.merchant.merchantNo, { limit: 3, before: first.next });
    expect([...first.lines, ...rest.lines]).toEqual(lines);
    expect(await listSettlements(db, oneMerchant(t.merchant.merchantNo), t.merchant.merchantNo)).toEqual([{ day: new Date().toISOString().slice(0, 10), payments: 1, cents: 10000 }]);
  });

  it("finds nothing of another merchant in a one-merchant scope", async () => {
    const db = t.gateway.context.db;
    const scope = oneMerchant(other.merchantNo);
    expect(await findScopedMerchant(db, scope, t.merchant.merchantNo)).toBeUndefined();
    expect((await listStatement(db, scope, t.merchant.merchantNo, { limit: 50 })).lines).toEqual([]);
    expect(await listSettlements(db, scope, t.merchant.merchantNo)).toEqual([]);
    const exported = [];
    for await (const line of eachStatementLine(db, scope, t.merchant.merchantNo)) exported.push(line);
    expect(exported).toEqual([]);
    expect((await listStatement(db, scope, other.merchantNo, { limit: 50 })).lines).toHaveLength(1);
  });

  it('shows balances, the statement, settlements and credentials', async () => {
    const shown = await operator.get(page);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Test Store');
    expect(shown.html).toMatch(/Available<\/div><div class="figure">100.00 USD/);
    expect(shown.html).toMatch(/Pending<\/div><div class="figure">20.00 USD/);
    expect(shown.html).toContain('<td class="num">120.00 USD</td>');
    expect(shown.html).toContain('Only the current secret is accepted.');
    expect(shown.html).not.toContain(t.merchant.appSecret);
    expect((await operator.get('/dashboard/merchants/0000000000')).status).toBe(404);
    expect((await operator.get('/dashboard/account')).location).toBe('/dashboard/merchants');
  });

  it('exports the statement as CSV, oldest last, with the running balance', async () => {
    const response = await t.gateway.app.inject({ method: 'GET', url: `${page}/statement.csv`, headers: { cookie: operator.cookieHeader } });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = response.body.trimEnd().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['time', 'postingId', 'kind', 'orderNo', 'payoutId', 'pending', 'available', 'frozen', 'balance']);
    expect(rows.slice(1).map((r) => [r[2], r[5], r[6], r[8]])).toEqual([
      ['refund', '-10.00', '0.00', '120.00'],
      ['payment', '30.00', '0.00', '130.00'],
      ['settlement', '-100.00', '100.00', '100.00'],
      ['payment', '100.00', '0.00', '100.00'],
    ]);
  });

  it('rotates the secret after confirmation, shows it once after the redirect, and a second post rotates nothing', async () => {
    const confirm = await operator.get(`${page}/rotate-secret`);
    expect(confirm.html).toContain('stays accepted for <strong>24 hours</strong>');
    const version = /name="version" value="([0-9a-f]+)"/.exec(confirm.html)![1]!;
    const sealedBefore = (await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!.app_secret_sealed;
    expect((await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!.previous_secret_sealed).toBeNull();

    const done = await operator.post(`${page}/rotate-secret/confirmed`, { version });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${page}?notice=rotated`);
    const rotated = await findMerchant(t.gateway.context.db, t.merchant.merchantNo);
    expect(rotated!.previous_secret_sealed).toBe(sealedBefore);
    const secret = t.gateway.context.masterKey.open(rotated!.app_secret_sealed);
    const shown = await operator.get(done.location!);
    expect(shown.html).toContain(secret);
    expect(shown.html).toMatch(/previous secret is still accepted until <strong>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC<\/strong>/);
    expect((await operator.get(done.location!)).html).not.toContain(secret);

    const again = await operator.post(`${page}/rotate-secret/confirmed`, { version });
    expect(again.location).toBe(`${page}?notice=already-rotated`);
    expect((await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!.app_secret_sealed).toBe(rotated!.app_secret_sealed);
    const audits = await t.gateway.context.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'merchant.rotate-secret').orderBy('id').execute();
    expect(audits.map((a) => a.outcome)).toEqual(['ok', 'refused']);
  });

  it('changes integration settings after a confirmation listing before and after, with an audit row', async () => {
    const confirm = await operator.get(`${page}/integration?saltPlacement=prefix&requireHmac=1&statusSet=family`);
    expect(confirm.html).toMatch(/<td>Salt placement<\/td><td>suffix<\/td><td><strong>prefix<\/strong><\/td>/);
    expect(confirm.html).toMatch(/<td>HMAC-SHA256 only<\/td><td>no<\/td><td><strong>yes<\/strong><\/td>/);
    expect(confirm.html).not.toContain('Statuses in answers');
    expect((await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!.salt_placement).toBe('suffix');
    const done = await operator.post(`${page}/integration`, { saltPlacement: 'prefix', requireHmac: '1', statusSet: 'family' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${page}?notice=integration`);
    expect(await findMerchant(t.gateway.context.db, t.merchant.merchantNo)).toMatchObject({ salt_placement: 'prefix', require_hmac: true, status_set: 'family' });
    const audit = await t.gateway.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'merchant.integration-settings').executeTakeFirstOrThrow();
    expect(audit.before_value).toEqual({ saltPlacement: 'suffix', requireHmac: false, statusSet: 'family' });
    expect(audit.after_value).toEqual({ saltPlacement: 'prefix', requireHmac: true, statusSet: 'family' });
    expect((await operator.get(`${page}/integration?saltPlacement=prefix&requireHmac=1&statusSet=family`)).html).toContain('Nothing would change.');
  });

  it('disables a merchant only through a confirmation page, whose form posts the status', async () => {
    const list = await operator.get(`/dashboard/merchants/${other.merchantNo}`);
    expect(list.html).toContain(`href="/dashboard/merchants/${other.merchantNo}/disable">Disable…</a>`);
    expect(list.html).not.toMatch(/<button type="submit" class="danger">Disable<\/button>/);
    const confirm = await operator.get(`/dashboard/merchants/${other.merchantNo}/disable`);
    expect(confirm.html).toContain('Every API request of merchant');
    expect(confirm.html).toContain(`action="/dashboard/merchants/${other.merchantNo}/status"`);
    expect((await findMerchant(t.gateway.context.db, other.merchantNo))!.status).toBe('active');
    const done = await operator.post(`/dashboard/merchants/${other.merchantNo}/status`, { status: 'disabled' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/dashboard/merchants/${other.merchantNo}?notice=disabled`);
    expect((await operator.get(done.location!)).html).toContain('Merchant disabled.');
    expect((await findMerchant(t.gateway.context.db, other.merchantNo))!.status).toBe('disabled');
    expect((await operator.get(`/dashboard/merchants/${other.merchantNo}/disable`)).html).toContain('already disabled');
    expect((await operator.get('/dashboard/merchants/0000000000/disable')).status).toBe(404);
  });
});
