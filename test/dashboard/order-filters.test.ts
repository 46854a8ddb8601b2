import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkoutFields, describeEachDatabase, startTestGateway, type TestGateway, type TestMerchant } from '../support/test-gateway.ts';
import { createAdmin, DashboardClient } from '../support/dashboard-client.ts';
import { ALL_MERCHANTS, oneMerchant } from '../../src/domain/console-scope.ts';
import { eachOrder, listOrders } from '../../src/store/console/list-orders.ts';
import { backdateOrder, ensureMonth } from '../support/backdate-order.ts';
import { findScopedOrder } from '../../src/store/console/order-detail.ts';

describeEachDatabase('dashboard order filters and CSV', (kind) => {
  let t: TestGateway;
  let operator: DashboardClient;
  let other: TestMerchant;
  const orders: Record<string, string> = {};

  /** Creates an order through the API, then moves its creation time and card to what the test needs. */
  async function order(name: string, fields: Record<string, string>, set: { created_at?: string; card_last4?: string } = {}, merchant?: TestMerchant) {
    const { body } = await t.post('/v1/checkout', checkoutFields(fields), merchant ? { merchant } : {});
    const orderNo = body.data.platFormTradeNo as string;
    if (set.created_at) await backdateOrder(t.gateway.context.db, orderNo, new Date(set.created_at));
    if (set.card_last4) await t.gateway.context.db.updateTable('orders').set({ card_last4: set.card_last4 }).where('plat_form_trade_no', '=', orderNo).execute();
    orders[name] = orderNo;
  }

  beforeAll(async () => {
    t = await startTestGateway(kind);
    other = await t.addMerchant({ name: 'Other Shop' });
    const admin = await createAdmin(t.gateway.context.db);
    operator = new DashboardClient(t.gateway.app);
    await operator.logIn(admin.email, admin.password);
    await order('jan', { amount: '10.00', email: 'Ann@Example.com', tradeNo: 'JAN-1' }, { created_at: '2030-01-15T10:00:00Z', card_last4: '4242' });
    await order('feb', { amount: '25.50', email: 'bob@example.com', tradeNo: 'FEB-1' }, { created_at: '2030-02-10T10:00:00Z', card_last4: '1881' });
    await order('mar', { amount: '99.99', email: 'ann@example.com', tradeNo: 'MAR-1', remark: '=cmd|calc' }, { created_at: '2030-03-01T23:59:59Z' });
    await order('tricky', { amount: '5.00', email: '=HYPERLINK("x")@example.com', tradeNo: 'TRICKY-1' }, { created_at: '2030-03-02T00:00:00Z' });
    await order('foreign', { amount: '10.00', email: 'ann@example.com', tradeNo: 'FOREIGN-1' }, { created_at: '2030-01-20T00:00:00Z', card_last4: '4242' }, other);
  });
  afterAll(async () => {
    await t.close();
  });

  const found = async (query: string) => {
    const page = await operator.get(`/dashboard/orders?${query}`);
    expect(page.status).toBe(200);
    return Object.entries(orders)
      .filter(([, no]) => page.html.includes(no))
      .map(([name]) => name)
      .sort();
  };

  it('filter by creation day (both ends included), amount range, email (any case), card last 4 and tradeNo', async () => {
    expect(await found('from=2030-02-01&to=2030-03-01')).toEqual(['feb', 'mar']);
    expect(await found('min=10.00&max=25.50')).toEqual(['feb', 'foreign', 'jan']);
    expect(await found('email=ANN%40example.com')).toEqual(['foreign', 'jan', 'mar']);
    expect(await found('last4=4242')).toEqual(['foreign', 'jan']);
    expect(await found('q=FEB-1')).toEqual(['feb']);
    expect(await found(`q=${orders.mar}`)).toEqual(['mar']);
    expect(await found(`last4=4242&merchant=${t.merchant.merchantNo}`)).toEqual(['jan']);
    expect(await found('email=ann%40example.com&from=2030-01-16')).toEqual(['foreign', 'mar']);
  });

  it('say which filters could not be read instead of guessing', async () => {
    const page = await operator.get('/dashboard/orders?from=2030-02-30&min=ten&last4=42');
    expect(page.html).toContain('Not applied, as it could not be read: from, smallest amount, card last 4.');
  });

  it('keep the filters in the next-page link and the CSV link', async () => {
    for (let i = 0; i < 3; i += 1) await order(`page${i}`, { amount: '1.00', email: 'pager@example.com' });
    const page = await operator.get('/dashboard/orders?email=pager%40example.com');
    expect(page.html).toContain('href="/dashboard/orders.csv?email=pager%40example.com"');
    const all = await listOrders(t.gateway.context.db, ALL_MERCHANTS, { email: 'pager@example.com' }, { limit: 2 });
    expect(all.orders).toHaveLength(2);
    const rest = await listOrders(t.gateway.context.db, ALL_MERCHANTS, { email: 'pager@example.com' }, { limit: 2, after: all.next });
    expect(rest.orders).toHaveLength(1);
    expect(rest.next).toBeUndefined();
  });

  it('export the filtered list as CSV: header, formatted cells, quoting, and no cell a spreadsheet would run', async () => {
    const response = await t.gateway.app.inject({ method: 'GET', url: '/dashboard/orders.csv?from=2030-01-01&to=2030-03-31', headers: { cookie: operator.cookieHeader } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('created_at,platFormTradeNo,tradeNo,merchantNo,amount,currency,status,statusDesc,email,cardBrand,cardLast4,paid_at');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1)).toEqual([
      `2030-03-02 00:00:00,${orders.tricky},TRICKY-1,${t.merchant.merchantNo},5.00,USD,0015,CREATED,"'=HYPERLINK(""x"")@example.com",,,`,
      `2030-03-01 23:59:59,${orders.mar},MAR-1,${t.merchant.merchantNo},99.99,USD,0015,CREATED,ann@example.com,,,`,
      `2030-02-10 10:00:00,${orders.feb},FEB-1,${t.merchant.merchantNo},25.50,USD,0015,CREATED,bob@example.com,,1881,`,
      `2030-01-20 00:00:00,${orders.foreign},FOREIGN-1,${other.merchantNo},10.00,USD,0015,CREATED,ann@example.com,,4242,`,
      `2030-01-15 10:00:00,${orders.jan},JAN-1,${t.merchant.merchantNo},10.00,USD,0015,CREATED,Ann@Example.com,,4242,`,
    ]);
  });

  it('export every page of a long list, in chunks', async () => {
    const names: string[] = [];
    for await (const row of eachOrder(t.gateway.context.db, ALL_MERCHANTS, {}, 2)) names.push(row.plat_form_trade_no);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(orders).sort());
  });

  it('never show another merchant to a one-merchant scope, whatever the filters say', async () => {
    const mine = oneMerchant(t.merchant.merchantNo);
    const seen = await listOrders(t.gateway.context.db, mine, { merchantNo: other.merchantNo }, { limit: 100 });
    expect(seen.orders).toEqual([]);
    const listed = await listOrders(t.gateway.context.db, mine, { email: 'ann@example.com' }, { limit: 100 });
    expect(listed.orders.map((o) => o.plat_form_trade_no).sort()).toEqual([orders.jan, orders.mar].sort());
    const exported: string[] = [];
    for await (const row of eachOrder(t.gateway.context.db, oneMerchant(other.merchantNo), {})) exported.push(row.plat_form_trade_no);
    expect(exported).toEqual([orders.foreign]);
    expect(await findScopedOrder(t.gateway.context.db, mine, orders.foreign!)).toBeUndefined();
    expect((await findScopedOrder(t.gateway.context.db, mine, orders.jan!))?.trade_no).toBe('JAN-1');
  });

  it('streams an export longer than one chunk whole, in order, once each', async () => {
    await ensureMonth(t.gateway.context.db, new Date('2031-01-01T00:00:00Z'));
    await sql`INSERT INTO orders (plat_form_trade_no, merchant_no, trade_no, request_hash, amount_cents, currency, mobile, email, user_id, notify_url, return_url, expires_at, created_at)
      SELECT 'bulk' || lpad(i::text, 12, '0'), ${t.merchant.merchantNo}, 'BULK-' || i, 'h', 100 + i, 'USD', '1', 'bulk@example.com', 'u', 'https://m.example/n', 'https://m.example/r',
             now() + interval '1 hour', timestamptz '2031-01-01' + i * interval '1 second'
        FROM generate_series(1, 1234) AS i`.execute(t.gateway.context.db);
    await sql`INSERT INTO order_keys (plat_form_trade_no, merchant_no, trade_no, created_at)
      SELECT plat_form_trade_no, merchant_no, trade_no, created_at FROM orders WHERE trade_no LIKE 'BULK-%'`.execute(t.gateway.context.db);
    const response = await t.gateway.app.inject({ method: 'GET', url: '/dashboard/orders.csv?email=bulk%40example.com', headers: { cookie: operator.cookieHeader } });
    const rows = response.body.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(1234);
    expect(rows.map((row) => row.split(',')[2])).toEqual(Array.from({ length: 1234 }, (_, i) => `BULK-${1234 - i}`));
  });
});
