import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizationOf, classifyNetworkError, classifyStatus, payoutOf, refundOf } from './classify-call.ts';

const DEFINITE = new Set([400, 401, 403, 422, 429]);

describe('the shared reading of a status or a network error', () => {
  it('reads the statuses that say nothing was done; every other status is unknown, naming the processor and the status', () => {
    expect(classifyStatus(400, 'Adyen')).toEqual({ verdict: 'final', reason: 'INVALID_REQUEST', detail: 'Adyen answered HTTP 400' });
    expect(classifyStatus(403, 'Stripe')).toMatchObject({ verdict: 'final', reason: 'UNAUTHORIZED' });
    expect(classifyStatus(429, 'acquirer')).toMatchObject({ verdict: 'retry', reason: 'RATE_LIMITED' });
    expect(classifyStatus(503, 'acquirer')).toMatchObject({ verdict: 'unknown' });
    expect(classifyStatus(503, 'Adyen', { unavailableDidNothing: true })).toMatchObject({ verdict: 'retry', reason: 'PROCESSING_ERROR' });
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }).filter((status) => !DEFINITE.has(status)), fc.boolean(), (status, unavailableDidNothing) => {
        const verdict = classifyStatus(status, 'P', { unavailableDidNothing });
        if (status === 503 && unavailableDidNothing) return verdict.verdict === 'retry';
        return verdict.verdict === 'unknown' && verdict.detail === `P answered HTTP ${status}`;
      }),
    );
  });

  it('no status is ever success, and only a request refused as sent fails a refund or a payout (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.boolean(), (status, unavailableDidNothing) => {
        const verdict = classifyStatus(status, 'P', { unavailableDidNothing });
        const sale = authorizationOf(verdict);
        expect(['error', 'unknown']).toContain(sale.outcome);
        if (sale.outcome === 'error') expect(sale.retryable).toBe(verdict.verdict === 'retry');
        for (const result of [refundOf(verdict), payoutOf(verdict)]) {
          expect(result.outcome === 'failed').toBe(status === 400 || status === 422);
          expect(['failed', 'unknown']).toContain(result.outcome);
        }
      }),
    );
  });

  it('anything thrown is unknown, never a throw (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.integer({ min: 1, max: 120_000 }), (thrown, timeoutMs) => {
        expect(classifyNetworkError(thrown, timeoutMs).outcome).toBe('unknown');
      }),
    );
    expect(classifyNetworkError(Object.assign(new Error('x'), { name: 'TimeoutError' }), 150).detail).toBe('no answer from the acquirer within 150 ms');
    expect(classifyNetworkError(new Error('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 150).detail).toBe('could not reach the acquirer (ECONNREFUSED)');
  });
});
