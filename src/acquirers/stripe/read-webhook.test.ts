import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readStripeWebhook, STRIPE_WEBHOOK_TOLERANCE_SECONDS } from './read-webhook.ts';
import { holdsNul, MAX_EVENT_TEXT, type ProcessorEvent, type RefusedWebhook } from '../processor-event.ts';

const SECRET = 'whsec_test';
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

const sign = (body: string | Buffer, timestamp = Math.floor(NOW / 1000), secret = SECRET) =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body.toString()}`).digest('hex')}`;
const read = (body: string, header?: string) => readStripeWebhook(Buffer.from(body), header ?? sign(body), SECRET, NOW);
const event = (object: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object }, ...extra });
const intent = { id: 'pi_ours', object: 'payment_intent', status: 'succeeded', amount: 30000, currency: 'usd', metadata: { payrail_attempt: 'att_1' } };

/** What every answer must be: refused, or an event whose every string may go into SQL. */
function expectSafe(result: ProcessorEvent | RefusedWebhook) {
  if ('refused' in result) return;
  expect(holdsNul(result)).toBe(false);
  expect(result.id.length).toBeGreaterThan(0);
  for (const text of [result.id, result.type, result.settles?.kind === 'attempt' ? result.settles.attemptId : result.settles?.kind === 'refund' ? result.settles.refundId : result.settles?.dispute.processorDisputeId]) {
    if (text !== undefined) expect(text.length).toBeLessThanOrEqual(MAX_EVENT_TEXT * 3);
  }
}

describe('readStripeWebhook', () => {
  it('reads what a PaymentIntent event says about the payment: its id, amount and currency', () => {
    expect(read(event(intent))).toEqual({
      acquirer: 'stripe',
      id: 'evt_1',
      type: 'payment_intent.succeeded',
      settles: { kind: 'attempt', attemptId: 'att_1', answer: { outcome: 'approved', reference: 'pi_ours' }, says: { payment: 'pi_ours', amount: 30000, currency: 'usd' } },
    });
  });

  it('reads a Refund event with its own id, its PaymentIntent, amount and currency', () => {
    const refund = { id: 're_1', object: 'refund', status: 'succeeded', amount: 1000, currency: 'usd', payment_intent: 'pi_ours', metadata: { payrail_refund: 'rf_1' } };
    expect(read(event(refund, { type: 'refund.updated' }))).toMatchObject({
      settles: { kind: 'refund', refundId: 'rf_1', answer: { outcome: 'succeeded', reference: 're_1' }, says: { refund: 're_1', payment: 'pi_ours', amount: 1000, currency: 'usd' } },
    });
  });

  it('holds the tolerance both ways: 10 minutes in the past or in the future is refused; within it, accepted', () => {
    const body = event(intent);
    const now = Math.floor(NOW / 1000);
    expect(read(body, sign(body, now + 600))).toEqual({ refused: 'Stripe-Signature timestamp outside the tolerance' });
    expect(read(body, sign(body, now - 600))).toEqual({ refused: 'Stripe-Signature timestamp outside the tolerance' });
    expect(read(body, sign(body, now + STRIPE_WEBHOOK_TOLERANCE_SECONDS - 5))).not.toHaveProperty('refused');
    expect(read(body, sign(body, now - STRIPE_WEBHOOK_TOLERANCE_SECONDS + 5))).not.toHaveProperty('refused');
  });

  it('refuses a missing header, a header without timestamp, another secret', () => {
    const body = event(intent);
    expect(readStripeWebhook(Buffer.from(body), undefined, SECRET, NOW)).toHaveProperty('refused');
    expect(read(body, 'v1=abc')).toHaveProperty('refused');
    expect(read(body, sign(body, undefined, 'whsec_other'))).toHaveProperty('refused');
  });

  it('signed events of an odd shape are unreadable, never a throw: no id, an array, not JSON, a NUL in an id or in our metadata', () => {
    const unreadable = (body: string) => {
      const result = read(body);
      expect(result).toHaveProperty('unreadable');
      expect(result).not.toHaveProperty('settles');
      expectSafe(result);
    };
    unreadable(JSON.stringify({ object: 'event', type: 'payment_intent.succeeded', data: { object: intent } }));
    unreadable('[1,2]');
    unreadable('not json');
    unreadable(event(intent, { id: 'evt_\u0000' }));
    unreadable(event({ ...intent, metadata: { payrail_attempt: 'att_\u0000' } }));
    unreadable(event({ ...intent, id: 'pi_\u0000' }));
    unreadable(event({ ...intent, status: { toString: 1 } }));
    unreadable(event({ ...intent, metadata: { payrail_attempt: 42 } }));
    // Unreadable events never take a real event's id.
    expect((read('[1,2]') as ProcessorEvent).id).toMatch(/^unreadable:/);
  });

  it('any unsigned body or header is refused (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), (bytes, header) => {
        expect(readStripeWebhook(Buffer.from(bytes), header, SECRET, NOW)).toHaveProperty('refused');
      }),
    );
  });

  it('any signed body is read or unreadable, never a throw, and hands on no string SQL refuses (property)', () => {
    // Strings of any UTF-16 unit, NUL included.
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    const anyJson = json.map((value) => JSON.stringify(value));
    const intentLike = fc
      .record({
        id: fc.oneof(text, json),
        object: fc.constantFrom('payment_intent', 'refund', 'charge'),
        status: fc.oneof(fc.constantFrom('succeeded', 'requires_action', 'requires_payment_method', 'canceled'), json),
        amount: fc.oneof(fc.integer(), json),
        currency: fc.oneof(text, json),
        payment_intent: fc.oneof(text, json),
        metadata: fc.oneof(fc.record({ payrail_attempt: fc.oneof(text, json), payrail_refund: fc.oneof(text, json) }), json),
        next_action: json,
        last_payment_error: json,
      }, { requiredKeys: [] })
      .chain((object) => fc.record({ id: fc.oneof(text, json), type: fc.oneof(text, json) }, { requiredKeys: [] }).map((top) => JSON.stringify({ ...top, data: { object } })));
    fc.assert(
      fc.property(fc.oneof(anyJson, intentLike, text), (body) => {
        const result = read(body);
        expect(result).not.toHaveProperty('refused');
        expectSafe(result);
      }),
      { numRuns: 200 },
    );
  });
});
