import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import type { Acquirer, AuthorizeRequest } from '../acquirer.ts';
import { createAcquirer } from '../index.ts';
import { startAcquirerSimServer, type AcquirerSimServer } from '../../acquirer-sim/server.ts';

let sequence = 0;
const requestFor = (number: string, holder = 'Ada Lovelace'): AuthorizeRequest => {
  const validation = validateCard({ number, expiry: '12/40', cvc: '123', holder }, new Date());
  if (!validation.ok) throw new Error('test card refused by the page');
  return { idempotencyKey: `http-${process.pid}-${++sequence}`, amount: cents(30000), currency: 'USD', card: validation.card };
};

describe('the http connector against the acquirer-sim service', () => {
  let sim: AcquirerSimServer;
  let acquirer: Acquirer;

  beforeAll(async () => {
    sim = await startAcquirerSimServer({ port: 0, simulator: { timeoutDelayMs: 5 } });
    acquirer = createAcquirer('http', { baseUrl: sim.url, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await acquirer.close();
    await sim.close();
  });
  afterEach(() => sim.faults.update({ latencyMs: 0, failureRate5xx: 0, dropRate: 0 }));

  it('passes approvals, declines, errors and challenges through as the simulator decides them', async () => {
    expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.authorize(requestFor('5555 5555 5555 4444', 'DECLINED'))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    expect(await acquirer.authorize(requestFor('4000 0000 0000 9995'))).toEqual({ outcome: 'declined', reason: 'INSUFFICIENT_FUNDS' });
    expect(await acquirer.authorize(requestFor('4000 0000 0000 0119'))).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
    const challenge = await acquirer.authorize(requestFor('5200 0000 0000 2151'));
    if (challenge.outcome !== 'challenge') throw new Error('expected a challenge');
    expect(await acquirer.completeChallenge(challenge.challengeId, '123456')).toMatchObject({ outcome: 'approved' });
  });

  it('a dropped response is unknown; the query then finds it approved, charged exactly once', async () => {
    const request = requestFor('4242 4242 4242 4242');
    sim.faults.dropNext(1);
    const result = await acquirer.authorize(request);
    expect(result).toEqual({ outcome: 'unknown', detail: expect.stringContaining('closed the connection') });
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    // A retry with the same key is answered from the record, not charged again.
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'approved' });
    expect(await sim.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('a 5xx is unknown, never success, and the charge behind it is found by the query', async () => {
    const request = requestFor('2223 0031 2200 3222');
    sim.faults.fail5xxNext(1);
    expect(await acquirer.authorize(request)).toEqual({ outcome: 'unknown', detail: 'acquirer answered HTTP 500' });
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    expect(await sim.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('the "times out" card is unknown over HTTP too, and reconciles to approved', async () => {
    const request = requestFor('4000 0000 0000 3063');
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    expect(await sim.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('a query for a key that never arrived is not_found', async () => {
    expect(await acquirer.queryAuthorization('never-sent')).toEqual({ outcome: 'not_found' });
    expect(await acquirer.queryRefund('never-sent')).toEqual({ outcome: 'not_found' });
  });

  it('a failed query is unknown, never a failed sale', async () => {
    sim.faults.fail5xxNext(1);
    expect(await acquirer.queryAuthorization('whatever')).toMatchObject({ outcome: 'unknown' });
  });

  it('refunds, with a dropped refund answer reconciled by its query', async () => {
    const sale = await acquirer.authorize(requestFor('4242 4242 4242 4242'));
    if (sale.outcome !== 'approved') throw new Error('expected approval');
    sim.faults.dropNext(1);
    expect(await acquirer.refund({ idempotencyKey: 'refund-1', reference: sale.reference, amount: cents(10000) })).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryRefund('refund-1')).toMatchObject({ outcome: 'succeeded' });
    expect(await acquirer.refund({ idempotencyKey: 'refund-2', reference: sale.reference, amount: cents(20001) })).toEqual({
      outcome: 'failed',
      reason: 'AMOUNT_EXCEEDS_REFUNDABLE',
    });
  });

  it('a request the service refuses before doing anything is an error, not unknown', async () => {
    const request = requestFor('4242 4242 4242 4242');
    expect(await acquirer.authorize({ ...request, currency: 'usd' })).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
    expect(await sim.chargeCount(request.idempotencyKey)).toBe(0);
  });

  it('latency beyond the connector timeout is unknown, and the charge is still found', async () => {
    const impatient = createAcquirer('http', { baseUrl: sim.url, timeoutMs: 100 });
    try {
      const request = requestFor('4242 4242 4242 4242');
      sim.faults.update({ latencyMs: 300 });
      expect(await impatient.authorize(request)).toEqual({ outcome: 'unknown', detail: 'no answer from the acquirer within 100 ms' });
      sim.faults.update({ latencyMs: 0 });
      expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
      expect(await sim.chargeCount(request.idempotencyKey)).toBe(1);
    } finally {
      await impatient.close();
    }
  });

  it('the service takes fault settings over HTTP and refuses nonsense', async () => {
    const set = (body: unknown) =>
      fetch(`${sim.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const response = await set({ dropNext: 2, failureRate5xx: 0.25 });
    expect(await response.json()).toEqual({ settings: { latencyMs: 0, failureRate5xx: 0.25, dropRate: 0 }, pending: { drop: 2, fail5xx: 0 } });
    expect((await set({ dropRate: 2 })).status).toBe(400);
    await set({ failureRate5xx: 0 });
    const request = requestFor('4242 4242 4242 4242');
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'approved' });
    const charges = await (await fetch(`${sim.url}/__charges/${request.idempotencyKey}`)).json();
    expect(charges).toEqual({ idempotencyKey: request.idempotencyKey, count: 1 });
  });

  it('under random drops and 5xx, retrying every key until it settles charges each key exactly once', async () => {
    const chaotic = await startAcquirerSimServer({ dropRate: 0.3, failureRate5xx: 0.3, seed: 42 });
    const connector = createAcquirer('http', { baseUrl: chaotic.url, timeoutMs: 2_000 });
    try {
      const requests = Array.from({ length: 40 }, () => requestFor('5555 5555 5555 4444'));
      await Promise.all(
        requests.map(async (request) => {
          for (let attempt = 0; attempt < 50; attempt++) {
            const result = await connector.authorize(request);
            if (result.outcome === 'approved') return;
            expect(result.outcome).toBe('unknown');
          }
          throw new Error('never settled');
        }),
      );
      for (const request of requests) expect(await chaotic.chargeCount(request.idempotencyKey)).toBe(1);
    } finally {
      await connector.close();
      await chaotic.close();
    }
  });
});

/** A fake acquirer that answers whatever a test needs, to see how the connector reads it. */
async function fakeAcquirer(handle: (respond: (status: number, body: string) => void) => void) {
  const server: Server = createServer((_request, response) => {
    handle((status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('answers the http connector does not understand', () => {
  const cases: Array<[string, number, string]> = [
    ['a garbage body', 200, '<html>oops</html>'],
    ['an empty body', 200, ''],
    ['JSON of another shape', 200, '{"status":"ok"}'],
    ['an outcome it does not know', 200, '{"outcome":"pending"}'],
    ['approved without a reference', 200, '{"outcome":"approved"}'],
    ['not_found to a sale', 200, '{"outcome":"not_found"}'],
    ['a 503', 503, '{"outcome":"approved","reference":"r"}'],
    ['a 404', 404, '{"outcome":"declined","reason":"DO_NOT_HONOR"}'],
    ['a redirect', 302, ''],
  ];

  it.each(cases)('%s is unknown', async (_name, status, body) => {
    const fake = await fakeAcquirer((respond) => respond(status, body));
    const acquirer = createAcquirer('http', { baseUrl: fake.url, timeoutMs: 1_000 });
    try {
      expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toMatchObject({ outcome: 'unknown' });
      expect(await acquirer.refund({ idempotencyKey: 'r', reference: 'x', amount: cents(1) })).toMatchObject({ outcome: 'unknown' });
    } finally {
      await acquirer.close();
      await fake.close();
    }
  });

  it('an unfamiliar decline reason is still a decline, with the generic reason', async () => {
    const fake = await fakeAcquirer((respond) => respond(200, '{"outcome":"declined","reason":"PICK_UP_CARD"}'));
    const acquirer = createAcquirer('http', { baseUrl: fake.url });
    try {
      expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    } finally {
      await acquirer.close();
      await fake.close();
    }
  });

  it('no answer within the timeout is unknown', async () => {
    const fake = await fakeAcquirer(() => {});
    const acquirer = createAcquirer('http', { baseUrl: fake.url, timeoutMs: 150 });
    try {
      expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toEqual({ outcome: 'unknown', detail: 'no answer from the acquirer within 150 ms' });
    } finally {
      await acquirer.close();
      await fake.close();
    }
  });

  it('an answer larger than the limit is unknown', async () => {
    const fake = await fakeAcquirer((respond) => respond(200, JSON.stringify({ outcome: 'approved', reference: 'x'.repeat(100_000) })));
    const acquirer = createAcquirer('http', { baseUrl: fake.url, maxResponseBytes: 1024 });
    try {
      expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toMatchObject({ outcome: 'unknown' });
    } finally {
      await acquirer.close();
      await fake.close();
    }
  });

  it('an acquirer that is not there is unknown', async () => {
    const fake = await fakeAcquirer(() => {});
    await fake.close();
    const acquirer = createAcquirer('http', { baseUrl: fake.url, timeoutMs: 500 });
    try {
      expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).toMatchObject({ outcome: 'unknown' });
    } finally {
      await acquirer.close();
    }
  });
});

describe('cards on file over the http protocol', () => {
  let sim: AcquirerSimServer;
  let acquirer: Acquirer;
  /** The simulator's clock runs this far ahead, to see a saved card expire. */
  let ahead = 0;

  beforeAll(async () => {
    sim = await startAcquirerSimServer({ simulator: { timeoutDelayMs: 5, clock: () => Date.now() + ahead } });
    acquirer = createAcquirer('http', { baseUrl: sim.url, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await acquirer.close();
    await sim.close();
  });
  afterEach(() => {
    ahead = 0;
    sim.faults.update({ latencyMs: 0, failureRate5xx: 0, dropRate: 0 });
  });

  /** A sale that saves the card for `customerReference`; answers the service's token. */
  async function save(number: string, customerReference = 'm1-cus-1') {
    const sale = { ...requestFor(number), saveFor: { customerReference } };
    const approved = await acquirer.authorize(sale);
    if (approved.outcome !== 'approved' || !approved.storedCard) throw new Error(`expected an approval with a saved card, got ${JSON.stringify(approved)}`);
    return { sale, token: approved.storedCard.token, approved };
  }
  const stored = (token: string, initiator: 'customer' | 'merchant', customerReference = 'm1-cus-1') => ({
    idempotencyKey: `http-stored-${process.pid}-${++sequence}`,
    amount: cents(999),
    currency: 'USD',
    storedCard: { token, customerReference },
    initiator,
    ...(initiator === 'merchant' ? { reason: 'RECURRING' as const } : {}),
  });

  it("a sale asked to save the card answers the service's own token and the card's expiry, and so does its query", async () => {
    const { sale, token, approved } = await save('4242 4242 4242 4242');
    expect(approved.storedCard).toEqual({ token: expect.stringMatching(/^sim_tok_[0-9a-f]{24}$/), expiryMonth: 12, expiryYear: 2040 });
    expect(await acquirer.queryAuthorization(sale.idempotencyKey)).toMatchObject({ outcome: 'approved', storedCard: { token } });
    // A sale that does not ask saves nothing.
    expect(await acquirer.authorize(requestFor('4242 4242 4242 4242'))).not.toHaveProperty('storedCard');
  });

  it('charges a saved token, customer- or merchant-initiated, once per key, and finds a dropped answer by its query', async () => {
    const { token } = await save('5555 5555 5555 4444');
    expect(await acquirer.authorizeStored!(stored(token, 'customer'))).toMatchObject({ outcome: 'approved', reference: expect.any(String) });
    const charge = stored(token, 'merchant');
    sim.faults.dropNext(1);
    expect(await acquirer.authorizeStored!(charge)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryAuthorization(charge.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.authorizeStored!(charge)).toMatchObject({ outcome: 'approved' });
    expect(await sim.chargeCount(charge.idempotencyKey)).toBe(1);
  });

  it("maps the section's cards: AUTHENTICATION_REQUIRED and DO_NOT_HONOR for the merchant only, EXPIRED_CARD for either", async () => {
    const { token: strong } = await save('4000 0027 6000 3184');
    expect(await acquirer.authorizeStored!(stored(strong, 'merchant'))).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    expect(await acquirer.authorizeStored!(stored(strong, 'customer'))).toMatchObject({ outcome: 'approved' });
    const { token: declining } = await save('4000 0000 0000 0341');
    expect(await acquirer.authorizeStored!(stored(declining, 'merchant'))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    ahead = 20 * 365 * 24 * 3_600_000; // past 12/40
    expect(await acquirer.authorizeStored!(stored(strong, 'customer'))).toEqual({ outcome: 'declined', reason: 'EXPIRED_CARD' });
  });

  it("refuses a token it does not know, another customer's, and a deleted one as INVALID_CARD; deleting twice is fine", async () => {
    const { token } = await save('4242 4242 4242 4242', 'm1-cus-2');
    expect(await acquirer.authorizeStored!(stored('sim_tok_nothing', 'customer', 'm1-cus-2'))).toEqual({ outcome: 'error', reason: 'INVALID_CARD', retryable: false });
    expect(await acquirer.authorizeStored!(stored(token, 'customer', 'm1-someone-else'))).toEqual({ outcome: 'error', reason: 'INVALID_CARD', retryable: false });
    expect(await acquirer.deleteStoredCard!({ token, customerReference: 'm1-cus-2' })).toEqual({ outcome: 'deleted' });
    expect(await acquirer.authorizeStored!(stored(token, 'merchant', 'm1-cus-2'))).toEqual({ outcome: 'error', reason: 'INVALID_CARD', retryable: false });
    expect(await acquirer.deleteStoredCard!({ token, customerReference: 'm1-cus-2' })).toEqual({ outcome: 'deleted' });
  });

  it('refuses a merchant-initiated sale without its reason before doing anything', async () => {
    const { token } = await save('4242 4242 4242 4242');
    const { reason: _reason, ...noReason } = stored(token, 'merchant');
    expect(await acquirer.authorizeStored!(noReason)).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
    expect(await sim.chargeCount(noReason.idempotencyKey)).toBe(0);
  });

  it('sends the token, the customer, the initiator and the reason, never a card number; an unclear delete answer is unknown', async () => {
    const seen: Array<{ url: string; body: any }> = [];
    const server: Server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        seen.push({ url: request.url!, body: JSON.parse(text) });
        response.writeHead(200, { 'content-type': 'application/json' }).end(request.url!.includes('delete') ? '{"outcome":"kept"}' : '{"outcome":"approved","reference":"r1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = createAcquirer('http', { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1_000 });
    try {
      const charge = { ...stored('tok_1', 'merchant'), reason: 'UNSCHEDULED' as const };
      expect(await fake.authorizeStored!(charge)).toEqual({ outcome: 'approved', reference: 'r1' });
      expect(await fake.deleteStoredCard!({ token: 'tok_1', customerReference: 'm1-cus-1' })).toMatchObject({ outcome: 'unknown' });
      await fake.authorize({ ...requestFor('4242 4242 4242 4242'), saveFor: { customerReference: 'm1-cus-1' } });
      expect(seen[0]).toEqual({
        url: '/v1/stored-authorizations',
        body: { idempotencyKey: charge.idempotencyKey, amount: 999, currency: 'USD', storedCard: { token: 'tok_1', customerReference: 'm1-cus-1' }, initiator: 'merchant', reason: 'UNSCHEDULED' },
      });
      expect(seen[1]).toEqual({ url: '/v1/stored-cards/delete', body: { token: 'tok_1', customerReference: 'm1-cus-1' } });
      expect(seen[2]!.body.saveFor).toEqual({ customerReference: 'm1-cus-1' });
    } finally {
      await fake.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    }
  });
});
