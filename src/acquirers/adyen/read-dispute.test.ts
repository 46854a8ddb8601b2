import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DISPUTE_REASONS, DISPUTE_STAGES } from '../../domain/dispute.ts';
import { holdsNul, MAX_EVENT_TEXT, type ProcessorEvent } from '../processor-event.ts';
import { disputeReasonOf, readAdyenDispute } from './read-dispute.ts';
import { readAdyenNotification, signItem } from './read-notification.ts';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const item = {
  pspReference: 'DSP1',
  originalReference: 'PSP1',
  merchantReference: 'att_1',
  merchantAccountCode: 'PayrailECOM',
  amount: { value: 30000, currency: 'USD' },
  eventCode: 'NOTIFICATION_OF_CHARGEBACK',
  eventDate: '2026-12-07T11:00:00+01:00',
  success: 'true',
  reason: 'Other Fraud-Card Absent Environment',
  additionalData: { chargebackReasonCode: '10.4', defensePeriodEndsAt: '2026-12-20T10:00:00Z' },
};

describe('reading Adyen dispute notifications', () => {
  it.each([
    ['REQUEST_FOR_INFORMATION', undefined, 'opened'],
    ['NOTIFICATION_OF_CHARGEBACK', undefined, 'opened'],
    ['CHARGEBACK', 'Undefended', 'funds_withdrawn'],
    ['CHARGEBACK', 'Lost', 'lost'],
    ['CHARGEBACK', 'Accepted', 'lost'],
    ['SECOND_CHARGEBACK', 'Pending', 'funds_withdrawn'],
    ['CHARGEBACK_REVERSED', undefined, 'funds_reinstated'],
    ['PREARBITRATION_WON', undefined, 'won'],
    ['PREARBITRATION_LOST', undefined, 'lost'],
  ])('%s (disputeStatus %s) is %s', (eventCode, disputeStatus, stage) => {
    const additionalData = { ...item.additionalData, ...(disputeStatus ? { disputeStatus } : {}) };
    expect(readAdyenDispute({ ...item, eventCode, additionalData }, NOW)).toEqual({
      dispute: {
        processor: 'adyen',
        processorDisputeId: 'PSP1',
        paymentReference: 'PSP1',
        amount: 30000,
        currency: 'USD',
        reason: 'FRAUDULENT',
        evidenceDueBy: new Date('2026-12-20T10:00:00Z'),
        stage,
        occurredAt: new Date('2026-12-07T10:00:00Z'),
      },
    });
  });

  it('maps scheme reason codes first, then the reason text; anything else is GENERAL', () => {
    expect(disputeReasonOf('4855', 'whatever')).toBe('PRODUCT_NOT_RECEIVED');
    expect(disputeReasonOf(undefined, 'Duplicate Processing')).toBe('DUPLICATE');
    expect(disputeReasonOf('99.9', 'Something new')).toBe('GENERAL');
  });

  it('without originalReference, amount or currency it is unreadable', () => {
    for (const change of [{ originalReference: undefined }, { amount: { currency: 'USD' } }, { amount: { value: 1 } }]) {
      expect(readAdyenDispute({ ...item, ...change }, NOW)).toHaveProperty('unreadable');
    }
  });

  it('comes through a signed batch as a dispute, matched by the payment it disputes whatever merchantReference says', () => {
    const unsigned = { ...item, merchantReference: '' };
    const signed = { ...unsigned, additionalData: { ...item.additionalData, hmacSignature: signItem(unsigned, HMAC_KEY) } };
    const [event] = readAdyenNotification({ notificationItems: [{ NotificationRequestItem: signed }] }, HMAC_KEY, NOW) as ProcessorEvent[];
    expect(event).toMatchObject({ acquirer: 'adyen', id: 'DSP1:NOTIFICATION_OF_CHARGEBACK:true', settles: { kind: 'dispute', dispute: { paymentReference: 'PSP1', stage: 'opened' } } });
  });

  it('any notification item is a neutral dispute event or unreadable, never a throw, with nothing SQL refuses (property)', () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.constantFrom('REQUEST_FOR_INFORMATION', 'NOTIFICATION_OF_CHARGEBACK', 'CHARGEBACK', 'SECOND_CHARGEBACK', 'CHARGEBACK_REVERSED', 'PREARBITRATION_WON', 'PREARBITRATION_LOST', 'AUTHORISATION'),
        fc.record({ originalReference: field, amount: fc.oneof(field, fc.record({ value: field, currency: field }, { requiredKeys: [] })), reason: field, eventDate: field, additionalData: field }, { requiredKeys: [] }),
        (eventCode, rest) => {
          const read = readAdyenDispute({ eventCode, ...rest }, NOW);
          if ('unreadable' in read) return;
          const { dispute } = read;
          expect(holdsNul(dispute)).toBe(false);
          for (const text of [dispute.processorDisputeId, dispute.paymentReference, dispute.currency]) expect(text.length).toBeLessThanOrEqual(MAX_EVENT_TEXT);
          expect(Number.isSafeInteger(dispute.amount)).toBe(true);
          expect(DISPUTE_REASONS).toContain(dispute.reason);
          expect(DISPUTE_STAGES).toContain(dispute.stage);
          expect(Number.isNaN(dispute.occurredAt.getTime())).toBe(false);
          expect(dispute.evidenceDueBy === undefined || !Number.isNaN(dispute.evidenceDueBy.getTime())).toBe(true);
        },
      ),
    );
  });
});
