import { isDisputeReason, type DisputeEvent, type DisputeReason, type DisputeStage } from '../../domain/dispute.ts';
import type { Cents } from '../../domain/money.ts';
import { minorUnits, storableText } from '../processor-event.ts';
import { isJsonObject } from '../json.ts';

/**
 * Stripe's dispute events (https://docs.stripe.com/api/events/types#event_types-charge.dispute.created
 * and the Dispute object, https://docs.stripe.com/api/disputes/object) in processor-neutral terms
 * (domain/dispute.ts). Pure; never throws: an object it cannot read is said `unreadable`, why.
 */
const STAGE_OF: Readonly<Record<string, DisputeStage | 'closed'>> = {
  'charge.dispute.created': 'opened',
  'charge.dispute.updated': 'updated',
  'charge.dispute.funds_withdrawn': 'funds_withdrawn',
  'charge.dispute.funds_reinstated': 'funds_reinstated',
  'charge.dispute.closed': 'closed',
};

/**
 * How a closed dispute ended (`status`): `won` and `lost`; `warning_closed` is an inquiry that
 * closed without becoming a chargeback, so no money was taken: as won.
 */
const CLOSED_AS: Readonly<Record<string, DisputeStage>> = { won: 'won', lost: 'lost', warning_closed: 'won' };

/** Stripe's `reason` (`fraudulent`, `product_not_received`, …) in our words; anything else is GENERAL. */
export function disputeReasonOf(reason: unknown): DisputeReason {
  const upper = typeof reason === 'string' ? reason.toUpperCase() : '';
  return isDisputeReason(upper) ? upper : 'GENERAL';
}


/** A Unix time in seconds, when it is one. */
const secondsToDate = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? new Date(value * 1000) : undefined);

/** Whether an event type is one of the dispute events read here. */
export const isStripeDisputeEvent = (type: string) => type in STAGE_OF;

/**
 * A `charge.dispute.*` event's Dispute object; `created` is the event's own time (seconds), used
 * when it is readable. The payment it is about is its `payment_intent`: what Payrail records as
 * the reference of a Stripe sale.
 */
export function readStripeDispute(type: string, dispute: Record<string, unknown>, created: unknown, nowMs: number): { dispute: DisputeEvent } | { unreadable: string } {
  const stage = STAGE_OF[type];
  if (!stage) return { unreadable: `not a dispute event (${type})` };
  const id = storableText(dispute.id);
  const intent = storableText(isJsonObject(dispute.payment_intent) ? dispute.payment_intent.id : dispute.payment_intent);
  const amount = minorUnits(dispute.amount);
  const currency = storableText(dispute.currency);
  if (!id || !intent || amount === undefined || !currency) return { unreadable: 'a Dispute without a readable id, payment_intent, amount or currency' };
  const status = typeof dispute.status === 'string' ? dispute.status : '';
  const ended = stage === 'closed' ? CLOSED_AS[status] : undefined;
  if (stage === 'closed' && !ended) return { unreadable: `a closed Dispute with status ${status.slice(0, 40) || 'missing'}` };
  const evidence = isJsonObject(dispute.evidence_details) ? dispute.evidence_details : {};
  const evidenceDueBy = secondsToDate(evidence.due_by);
  return {
    dispute: {
      processor: 'stripe',
      processorDisputeId: id,
      paymentReference: intent,
      amount: amount as Cents,
      currency,
      reason: disputeReasonOf(dispute.reason),
      ...(evidenceDueBy ? { evidenceDueBy } : {}),
      stage: ended ?? (stage as DisputeStage),
      occurredAt: secondsToDate(created) ?? new Date(nowMs),
    },
  };
}
