import { formatAmount, type Cents } from '../domain/money.ts';

/** One entry of an order's event log as stored: its type and its JSON detail. */
export interface LoggedEvent {
  type: string;
  detail: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
const brandName = (brand: string | undefined) => (brand === 'visa' ? 'Visa' : brand === 'mastercard' ? 'Mastercard' : (brand ?? 'card'));

/**
 * An event of the order's log as a sentence an operator reads without knowing our JSON: "Card
 * attempt with Visa •••• 4242 started (attempt at_…)". An event type this function does not know
 * is still told, by its name, with its detail's fields in words.
 */
export function eventSentence(event: LoggedEvent, currency: string): string {
  const d = (event.detail !== null && typeof event.detail === 'object' && !Array.isArray(event.detail) ? event.detail : {}) as Record<string, unknown>;
  const attempt = text(d.attempt);
  const ofAttempt = attempt ? ` (attempt ${attempt})` : '';
  const because = text(d.reason) ? `: ${text(d.reason)}` : '';
  const money = (cents: unknown) => (typeof cents === 'number' ? `${formatAmount(cents as Cents)} ${currency}` : undefined);
  switch (event.type) {
    case 'created':
      return `Order created${money(d.amountCents) ? ` for ${money(d.amountCents)}` : ''}.`;
    case 'attempt_started':
      return `Card payment started with ${brandName(text(d.brand))}${text(d.last4) ? ` •••• ${text(d.last4)}` : ''}${ofAttempt}.`;
    case 'attempt_approved':
      return `The acquirer approved the payment${ofAttempt}.`;
    case 'attempt_declined':
      return `The acquirer declined the card${because}${ofAttempt}.`;
    case 'attempt_error':
      return `The payment failed with an error${because}${ofAttempt}.`;
    case 'attempt_challenge':
      return `The card issuer asked for 3-D Secure; the customer was sent to the challenge${ofAttempt}.`;
    case 'attempt_unknown':
      return `The acquirer's answer was not known; the reconciler will ask again${ofAttempt}.`;
    case 'attempt_processing':
      return `The payment is being processed${ofAttempt}.`;
    case 'attempt_failed_over':
      return `Acquirer ${text(d.fromAcquirer) ?? '?'} failed${because}; the payment was retried with ${text(d.toAcquirer) ?? '?'} (attempt ${text(d.to) ?? '?'}).`;
    case 'approved_after_settled':
      return `The acquirer approved an attempt after the order had already ended${ofAttempt}: check it at the processor.`;
    case 'closed':
      return 'Order closed: the customer can no longer pay it.';
    case 'expired':
      return 'Order expired unpaid.';
    case 'refund_requested':
      return `Refund of ${money(d.amountCents) ?? 'an amount'} requested${text(d.refund) ? ` (refund ${text(d.refund)})` : ''}.`;
    case 'refund_succeeded':
      return `Refund completed${text(d.refund) ? ` (refund ${text(d.refund)})` : ''}.`;
    case 'refund_failed':
      return `Refund failed${because}${text(d.refund) ? ` (refund ${text(d.refund)})` : ''}.`;
    default: {
      const fields = Object.entries(d)
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
      return `${event.type.replaceAll('_', ' ')}${fields.length ? `: ${fields.join(', ')}` : ''}.`;
    }
  }
}
