import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DISPUTE_REASONS, DISPUTE_STAGES } from '../../domain/dispute.ts';
import { holdsNul, MAX_EVENT_TEXT } from '../processor-event.ts';
import { disputeReasonOf, readStripeDispute } from './read-dispute.ts';
import { readStripeWebhook } from './read-webhook.ts';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const CREATED = Math.floor(NOW / 1000) - 60;
const dispute = {
  id: 'dp_1',
  object: 'dispute',
  amount: 30000,
  currency: 'usd',
  charge: 'ch_1',
  payment_intent: 'pi_ours',
  reason: 'fraudulent',
  status: 'needs_response',
  evidence_details: { due_by: CREATED + 7 * 86400 },
};

describe('reading Stripe dispute events', () => {
  it.each([
    ['charge.dispute.created', 'needs_response', 'opened'],
    ['charge.dispute.updated', 'under_review', 'updated'],
    ['charge.dispute.funds_withdrawn', 'needs_response', 'funds_withdrawn'],
    ['charge.dispute.funds_reinstated', 'won', 'funds_reinstated'],
    ['charge.dispute.closed', 'won', 'won'],
    ['charge.dispute.closed', 'lost', 'lost'],
    ['charge.dispute.closed', 'warning_closed', 'won'],
  ])('%s with status %s is %s', (type, status, stage) => {
    expect(readStripeDispute(type, { ...dispute, status }, CREATED, NOW)).toEqual({
      dispute: {
        processor: 'stripe',
        processorDisputeId: 'dp_1',
        paymentReference: 'pi_ours',
        amount: 30000,
        currency: 'usd',
        reason: 'FRAUDULENT',
        evidenceDueBy: new Date((CREATED + 7 * 86400) * 1000),
        stage,
        occurredAt: new Date(CREATED * 1000),
      },
    });
  });

  it('a closed dispute of a status it does not know, or without its PaymentIntent, amount or currency, is unreadable', () => {
    expect(readStripeDispute('charge.dispute.closed', { ...dispute, status: 'charge_refunded' }, CREATED, NOW)).toEqual({ unreadable: 'a closed Dispute with status charge_refunded' });
    for (const missing of ['payment_intent', 'amount', 'currency', 'id']) {
      expect(readStripeDispute('charge.dispute.created', { ...dispute, [missing]: undefined }, CREATED, NOW)).toHaveProperty('unreadable');
    }
  });

  it('reads an expanded payment_intent, and without the event time takes the time it was read', () => {
    const read = readStripeDispute('charge.dispute.created', { ...dispute, payment_intent: { id: 'pi_ours', object: 'payment_intent' } }, undefined, NOW);
    expect(read).toMatchObject({ dispute: { paymentReference: 'pi_ours', occurredAt: new Date(NOW) } });
  });

  it('maps Stripe reasons to ours; anything else is GENERAL', () => {
    expect(disputeReasonOf('product_not_received')).toBe('PRODUCT_NOT_RECEIVED');
    expect(disputeReasonOf('subscription_canceled')).toBe('SUBSCRIPTION_CANCELED');
    expect(disputeReasonOf('bank_cannot_process')).toBe('GENERAL');
    expect(disputeReasonOf(42)).toBe('GENERAL');
  });

  it('any Dispute object is a neutral dispute event or unreadable, never a throw, with nothing SQL refuses (property)', () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.constantFrom('charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.funds_withdrawn', 'charge.dispute.funds_reinstated', 'charge.dispute.closed'),
        fc.record({ id: field, amount: field, currency: field, payment_intent: field, reason: field, status: field, evidence_details: field }, { requiredKeys: [] }),
        field,
        (type, object, created) => {
          const read = readStripeDispute(type, object as Record<string, unknown>, created, NOW);
          if ('unreadable' in read) return;
          const { dispute: event } = read;
          expect(holdsNul(event)).toBe(false);
          for (const text of [event.processorDisputeId, event.paymentReference, event.currency]) expect(text.length).toBeLessThanOrEqual(MAX_EVENT_TEXT);
          expect(Number.isSafeInteger(event.amount)).toBe(true);
          expect(DISPUTE_REASONS).toContain(event.reason);
          expect(DISPUTE_STAGES).toContain(event.stage);
          expect(Number.isNaN(event.occurredAt.getTime())).toBe(false);
        },
      ),
    );
  });

  it('comes through the signed webhook as a dispute the event settles', () => {
    const body = JSON.stringify({ id: 'evt_9', object: 'event', type: 'charge.dispute.created', created: CREATED, data: { object: dispute } });
    const timestamp = Math.floor(NOW / 1000);
    const header = `t=${timestamp},v1=${createHmac('sha256', 'whsec_test').update(`${timestamp}.${body}`).digest('hex')}`;
    expect(readStripeWebhook(Buffer.from(body), header, 'whsec_test', NOW)).toMatchObject({
      acquirer: 'stripe',
      id: 'evt_9',
      type: 'charge.dispute.created',
      settles: { kind: 'dispute', dispute: { processorDisputeId: 'dp_1', paymentReference: 'pi_ours', stage: 'opened' } },
    });
  });
});
