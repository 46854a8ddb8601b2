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
