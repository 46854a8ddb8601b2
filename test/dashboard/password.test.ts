import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { DashboardClient } from '../support/dashboard-client.ts';
import { upsertAdmin } from '../../src/store/console/admins.ts';
import { hashPassword } from '../../src/secrets/password.ts';

describeEachDatabase('one-time passwords', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const client = () => new DashboardClient(t.gateway.app);

  it('sends an operator with a one-time password to the change-password page until it is changed', async () => {
    // What `payrail admin create` and the first start do
    await upsertAdmin(t.gateway.context.db, 'new-ops@example.com', await hashPassword('one-time-1234'));
    const browser = client();
    await browser.logIn('new-ops@example.com', 'one-time-1234');
    const orders = await browser.get('/dashboard/orders');
    expect(orders.status).toBe(303);
    expect(orders.location).toBe('/dashboard/password');
    expect((await browser.post('/dashboard/orders/0123456789abcdef/resend')).status).toBe(403);
    const form = await browser.get('/dashboard/password');
    expect(form.status).toBe(200);
    expect(form.html).toContain('one-time password');

    const short = await browser.post('/dashboard/password', { current: 'one-time-1234', password: 'short', repeat: 'short' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('at least 12');
    const wrong = await browser.post('/dashboard/password', { current: 'not it', password: 'my own password', repeat: 'my own password' });
    expect(wrong.status).toBe(400);
    const changed = await browser.post('/dashboard/password', { current: 'one-time-1234', password: 'my own password', repeat: 'my own password' });
    expect(changed.status).toBe(303);
    expect((await browser.get('/dashboard/orders')).status).toBe(200);

    expect((await client().logIn('new-ops@example.com', 'one-time-1234')).status).toBe(401);
    const again = client();
    expect((await again.logIn('new-ops@example.com', 'my own password')).status).toBe(303);
    expect((await again.get('/dashboard/orders')).status).toBe(200);
    // Still reachable later, from the operator's name in the header
    expect((await again.get('/dashboard/orders')).html).toContain('href="/dashboard/password"');
    expect((await again.get('/dashboard/password')).status).toBe(200);
  });
});
