import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readAdyenNotification, signItem } from './read-notification.ts';
import { holdsNul, type ProcessorEvent, type RefusedWebhook } from '../processor-event.ts';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const item = { pspReference: 'PSP1', merchantReference: 'att_1', merchantAccountCode: 'PayrailECOM', amount: { value: 30000, currency: 'USD' }, eventCode: 'AUTHORISATION', success: 'true' };
const batchOf = (...items: Record<string, unknown>[]) => ({ notificationItems: items.map((one) => ({ NotificationRequestItem: one })) });
const signed = (one: Record<string, unknown>) => ({ ...one, additionalData: { hmacSignature: signItem(one, HMAC_KEY) } });

function expectSafe(result: ProcessorEvent[] | RefusedWebhook) {
  if ('refused' in result) return;
  expect(holdsNul(result)).toBe(false);
}

describe('readAdyenNotification', () => {
  it('reads what an AUTHORISATION says about the payment: pspReference, amount, currency', () => {
    expect(readAdyenNotification(batchOf(signed(item)), HMAC_KEY)).toEqual([
      { acquirer: 'adyen', id: 'PSP1:AUTHORISATION:true', type: 'AUTHORISATION', settles: { kind: 'attempt', attemptId: 'att_1', answer: { outcome: 'approved', reference: 'PSP1' }, says: { payment: 'PSP1', amount: 30000, currency: 'USD' } } },
    ]);
  });

  it('reads a REFUND with its own pspReference and the payment it refunds (originalReference)', () => {
    const refund = { ...item, pspReference: 'REF1', originalReference: 'PSP1', merchantReference: 'rf_1', amount: { value: 1000, currency: 'USD' }, eventCode: 'REFUND' };
    expect(readAdyenNotification(batchOf(signed(refund)), HMAC_KEY)).toMatchObject([
      { settles: { kind: 'refund', refundId: 'rf_1', says: { refund: 'REF1', payment: 'PSP1', amount: 1000, currency: 'USD' } } },
    ]);
  });

  it('an hmacSignature that is a number, true, an object or null is refused, never a throw', () => {
    for (const hmacSignature of [5, true, { a: 1 }, null, []]) {
      expect(readAdyenNotification(batchOf({ ...item, additionalData: { hmacSignature } }), HMAC_KEY)).toEqual({ refused: 'an item HMAC signature did not verify' });
    }
    for (const additionalData of [5, 'x', null]) expect(readAdyenNotification(batchOf({ ...item, additionalData }), HMAC_KEY)).toHaveProperty('refused');
  });

  it('a signed item with a NUL in merchantReference or pspReference is unreadable, and settles nothing', () => {
    for (const change of [{ merchantReference: 'att_\u0000' }, { pspReference: 'PSP\u0000' }, { reason: 'x\u0000' }]) {
      const [event] = readAdyenNotification(batchOf(signed({ ...item, ...change })), HMAC_KEY) as ProcessorEvent[];
      expect(event).toHaveProperty('unreadable');
      expect(event).not.toHaveProperty('settles');
      expectSafe([event!]);
    }
  });

  it('any unsigned body is refused (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
    const itemLike = fc.record({ pspReference: json, merchantReference: json, eventCode: json, success: json, amount: json, additionalData: fc.oneof(json, fc.record({ hmacSignature: json })) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(json, fc.array(itemLike, { maxLength: 3 }).map((items) => batchOf(...items))), (body) => {
        expect(readAdyenNotification(body, HMAC_KEY)).toHaveProperty('refused');
      }),
    );
  });

  it('any signed item is read or unreadable, never a throw, and hands on no string SQL refuses (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const json = fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });
    const field = fc.oneof(text, json);
    const itemLike = fc.record(
      {
        pspReference: field,
        originalReference: field,
        merchantReference: field,
        merchantAccountCode: field,
        eventCode: fc.oneof(fc.constantFrom('AUTHORISATION', 'REFUND', 'CANCELLATION'), field),
        success: fc.oneof(fc.constantFrom('true', 'false'), field),
        reason: field,
        amount: fc.oneof(fc.record({ value: fc.oneof(fc.integer(), json), currency: field }, { requiredKeys: [] }), json),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(itemLike, { minLength: 1, maxLength: 3 }), (items) => {
        const result = readAdyenNotification(batchOf(...items.map(signed)), HMAC_KEY);
        expect(result).not.toHaveProperty('refused');
        expectSafe(result);
      }),
      { numRuns: 300 },
    );
  });
});
