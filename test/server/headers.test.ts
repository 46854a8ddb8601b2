import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';

describe('security headers and the metrics token', () => {
  let production: TestGateway;
  let development: TestGateway;
  const token = 'metrics-token-0123456789';
  beforeAll(async () => {
    production = await startTestGateway('pglite', {
      PAYRAIL_ENV: 'production', PAYRAIL_MASTER_KEY: 'ab'.repeat(32), PUBLIC_URL: 'https://pay.example.com', METRICS_TOKEN: token,
    });
    development = await startTestGateway('pglite');
  });
  afterAll(async () => {
    await production.close();
    await development.close();
  });

  it('sends Strict-Transport-Security in production when PUBLIC_URL is https, and not in development', async () => {
    for (const url of ['/healthz', '/dashboard/login', '/checkout?data=nothing']) {
      const answer = await production.gateway.app.inject({ method: 'GET', url });
      expect(answer.headers['strict-transport-security'], url).toMatch(/max-age=\d{7,}/);
    }
    const local = await development.gateway.app.inject({ method: 'GET', url: '/healthz' });
    expect(local.headers['strict-transport-security']).toBeUndefined();
  });

  it('forbids framing the cashier page (X-Frame-Options: DENY)', async () => {
    const customer = await CashierClient.forNewOrder(development);
    const page = await customer.open();
    expect(page.status).toBe(200);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('wants the bearer token on /metrics when METRICS_TOKEN is set; /docs stays public', async () => {
    const app = production.gateway.app;
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode).toBe(401);
    const allowed = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toContain('# HELP');
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    expect((await development.gateway.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});
