import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretPan } from '../../src/domain/card.ts';
import { cents } from '../../src/domain/money.ts';
import type { Acquirer, PayoutRequest } from '../../src/acquirers/acquirer.ts';
import { createAcquirer } from '../../src/acquirers/index.ts';
import { startAcquirerSimServer, type AcquirerSimServer } from '../../src/acquirer-sim/server.ts';

let sequence = 0;
const payout = (card: string, amount = 1_000): PayoutRequest => ({
  idempotencyKey: `po-test-${process.pid}-${++sequence}`,
  amount: cents(amount),
  currency: 'USD',
  cardNumber: secretPan(card),
  holder: 'Grace Hopper',
});

describe('payouts through the simulator and through the http connector to acquirer-sim', () => {
  let sim: AcquirerSimServer;
  let http: Acquirer;
  beforeAll(async () => {
    sim = await startAcquirerSimServer({ port: 0, simulator: { timeoutDelayMs: 5 } });
    http = createAcquirer('http', { baseUrl: sim.url, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });

  it.each(['simulator', 'http'] as const)('%s: pays 4242 and 5555, fails 0002, loses the answer of 3063 (paid once, found by the query)', async (which) => {
    const acquirer = which === 'http' ? http : sim.simulator;
    expect(await acquirer.payout(payout('4242424242424242'))).toMatchObject({ outcome: 'paid', reference: expect.stringMatching(/^sim_po_/) });
    expect(await acquirer.payout(payout('5555555555554444'))).toMatchObject({ outcome: 'paid' });
    expect(await acquirer.payout(payout('4000000000000002'))).toEqual({ outcome: 'failed', reason: 'DO_NOT_HONOR' });
    const lost = payout('4000000000003063');
    expect(await acquirer.payout(lost)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryPayout(lost.idempotencyKey)).toMatchObject({ outcome: 'paid' });
    expect(await sim.simulator.payoutCount(lost.idempotencyKey)).toBe(1);
    expect(await acquirer.queryPayout('never-sent')).toEqual({ outcome: 'not_found' });
  });

  it('answers the first result to the same key, pays once, and refuses the key for another payout', async () => {
    const request = payout('4242424242424242', 2_500);
    const first = await http.payout(request);
    expect(await http.payout(request)).toEqual(first);
    expect(await sim.simulator.payoutCount(request.idempotencyKey)).toBe(1);
    expect(await http.payout({ ...request, amount: cents(2_501) })).toEqual({ outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await http.payout({ ...request, cardNumber: secretPan('5555555555554444') })).toEqual({ outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('a dropped payout answer is unknown, never paid or failed, and the query finds it paid once', async () => {
    const request = payout('4242424242424242');
    sim.faults.dropNext(1);
    expect(await http.payout(request)).toMatchObject({ outcome: 'unknown' });
    expect(await http.queryPayout(request.idempotencyKey)).toMatchObject({ outcome: 'paid' });
    expect(await http.payout(request)).toMatchObject({ outcome: 'paid' });
    expect(await sim.simulator.payoutCount(request.idempotencyKey)).toBe(1);
  });

  it('refuses a card it cannot pay, recording nothing', async () => {
    const request = payout('4242424242424241');
    expect(await sim.simulator.payout(request)).toEqual({ outcome: 'failed', reason: 'INVALID_CARD' });
    expect(await sim.simulator.queryPayout(request.idempotencyKey)).toEqual({ outcome: 'not_found' });
  });
});

describe('payout answers the http connector does not understand', () => {
  const cases: Array<[string, number, string]> = [
    ['garbage', 200, '<html>'],
    ['another shape', 200, '{"status":"ok"}'],
    ['paid without a reference', 200, '{"outcome":"paid"}'],
    ['not_found to a payout', 200, '{"outcome":"not_found"}'],
    ['a 503', 503, '{"outcome":"paid","reference":"r"}'],
  ];
  it.each(cases)('%s is unknown', async (_name, status, body) => {
    const server = createServer((_request, response) => response.writeHead(status, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const acquirer = createAcquirer('http', { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1_000 });
    try {
      expect(await acquirer.payout(payout('4242424242424242'))).toMatchObject({ outcome: 'unknown' });
    } finally {
      await acquirer.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
