import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventSentence } from './event-sentence.ts';

describe('eventSentence', () => {
  it('tells each kind of event in words, with no JSON', () => {
    expect(eventSentence({ type: 'created', detail: { amountCents: 1250 } }, 'USD')).toBe('Order created for 12.50 USD.');
    expect(eventSentence({ type: 'attempt_started', detail: { attempt: 'at_1', brand: 'visa', last4: '4242' } }, 'USD')).toBe('Card payment started with Visa •••• 4242 (attempt at_1).');
    expect(eventSentence({ type: 'attempt_declined', detail: { attempt: 'at_1', reason: 'insufficient funds' } }, 'USD')).toBe('The acquirer declined the card: insufficient funds (attempt at_1).');
    expect(eventSentence({ type: 'refund_requested', detail: { refund: 'rf_1', amountCents: 500 } }, 'EUR')).toBe('Refund of 5.00 EUR requested (refund rf_1).');
    expect(eventSentence({ type: 'closed', detail: null }, 'USD')).toBe('Order closed: the customer can no longer pay it.');
    expect(eventSentence({ type: 'attempt_failed_over', detail: { from: 'at_1', fromAcquirer: 'stripe', reason: 'timeout', to: 'at_2', toAcquirer: 'adyen' } }, 'USD')).toBe(
      'Acquirer stripe failed: timeout; the payment was retried with adyen (attempt at_2).',
    );
  });

  it('tells an event type it does not know by its name and fields, and never throws on any detail', () => {
    expect(eventSentence({ type: 'chargeback_opened', detail: { amountCents: 100, case: 'c1' } }, 'USD')).toBe('chargeback opened: amountCents 100, case c1.');
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (type, detail) => {
        const sentence = eventSentence({ type, detail }, 'USD');
        expect(sentence.endsWith('.')).toBe(true);
      }),
    );
  });
});
