import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * One route for every processor's webhook, `POST /v1/acquirers/:name/webhook`, and the database
 * ready for a connector it has never heard of (migration 0041): a connector is one folder plus
 * one registry line. (The Stripe and Adyen webhooks through it: stripe-gateway, adyen-gateway and
 * processor-event-match tests.)
 */
describeEachDatabase('the acquirer webhook route', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, {});
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (name: string) =>
    t.gateway.app.inject({ method: 'POST', url: `/v1/acquirers/${encodeURIComponent(name)}/webhook`, headers: { 'content-type': 'application/json' }, payload: '{}' });

  it('answers 404 with a clear message for a name no connector has, without echoing it', async () => {
    const response = await post('<script>nope</script>');
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe('no acquirer of that name has a webhook here');
  });

  it('answers 404 for a connector without a webhook, and for a processor whose webhook secret is not configured', async () => {
    expect(await post('simulator')).toMatchObject({ statusCode: 404, body: 'the simulator has no webhook' });
    expect(await post('http')).toMatchObject({ statusCode: 404, body: 'the HTTP acquirer has no webhook' });
    expect(await post('stripe')).toMatchObject({ statusCode: 404, body: 'Stripe webhooks are not configured' });
    expect(await post('adyen')).toMatchObject({ statusCode: 404, body: 'Adyen webhooks are not configured' });
  });

  it('the database records a new connector\'s name without a migration, and still refuses what is not a name', async () => {
    const db = t.gateway.context.db;
    const event = (acquirer: string, id: string) => db.insertInto('acquirer_events').values({ acquirer: acquirer as never, event_id: id, type: 'test', reference: null }).execute();
    await event('third_processor', 'evt_1');
    await expect(event('Not A Name', 'evt_2')).rejects.toThrow(/check constraint/i);
    const merchant = (acquirers: string[]) => db.updateTable('merchants').set({ acquirers }).where('merchant_no', '=', t.merchant.merchantNo).execute();
    await merchant(['third_processor', 'stripe']);
    await expect(merchant(['stripe', 'Not A Name'])).rejects.toThrow(/check constraint/i);
    await expect(merchant(['a', 'b', 'c', 'd', 'e'])).rejects.toThrow(/check constraint/i);
  });
});
