/**
 * Whether a processor's event is about the payment (or refund) we made. A signature proves the
 * processor sent the event, not that it is about our payment: on a processor account anything
 * else also uses, whoever can set the reference we read could name our attempt. So an event
 * settles only when what it says matches what we sent and recorded. Pure: no I/O.
 */

/** What can fail to match, in the order it is checked. */
export type MatchedField = 'payment' | 'refund' | 'amount' | 'currency';

export interface Mismatch {
  field: MatchedField;
  /** What we sent or recorded. */
  expected: string;
  /** What the event says; null when it says nothing. */
  received: string | null;
}

/** What we sent and recorded. A processor id we do not know yet (its answer was lost) is null. */
export interface WhatWeSent {
  /** The processor's id for the payment (Stripe PaymentIntent, Adyen pspReference). */
  payment: string | null;
  /** For a refund: the processor's id for the refund, once known. */
  refund?: string | null;
  /** Minor units. */
  amountCents: number;
  /** ISO 4217. */
  currency: string;
}

/** What the event says, as read from it; absent when the event does not say. */
export interface WhatTheEventSays {
  payment?: string;
  refund?: string;
  amount?: number;
  currency?: string;
}

/**
 * Everything about the event that does not match; empty when it is about what we sent. An id we
 * recorded must be the event's; amount and currency must always be ours (currency codes compare
 * without case: Stripe writes them in lower case).
 */
export function mismatchesOf(sent: WhatWeSent, says: WhatTheEventSays): Mismatch[] {
  const found: Mismatch[] = [];
  const check = (field: MatchedField, expected: string | null | undefined, received: string | undefined, same = expected === received) => {
    if (expected !== null && expected !== undefined && !same) found.push({ field, expected, received: received ?? null });
  };
  check('payment', sent.payment, says.payment);
  check('refund', sent.refund, says.refund);
  check('amount', String(sent.amountCents), says.amount === undefined ? undefined : String(says.amount), says.amount === sent.amountCents);
  check('currency', sent.currency.toUpperCase(), says.currency?.toUpperCase());
  return found;
}
