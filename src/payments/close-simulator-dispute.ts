import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DISPUTE_STATUS_DESC, isDisputeFinal } from '../domain/dispute.ts';
import { cents } from '../domain/money.ts';
import { findApprovedAttempt } from '../store/attempts.ts';
import { findDispute, recordDisputeEvent, type DisputeRow } from '../store/disputes.ts';
import { processorNamed } from '../acquirers/index.ts';

export type CloseDisputeResult = { closed: DisputeRow } | { refused: string };

/**
 * `payrail dispute close`: the simulator decides one of its disputes, WON or LOST, as a processor's
 * closing event would (the money moves and the merchant is notified through the same path). A
 * processor's dispute (its connector has a webhook, src/acquirers/index.ts) is refused: only the
 * processor decides those.
 */
export async function closeSimulatorDispute(db: Kysely<Database>, disputeNo: string, outcome: 'won' | 'lost', now: Date): Promise<CloseDisputeResult> {
  const dispute = await findDispute(db, disputeNo);
  if (!dispute) return { refused: `dispute ${disputeNo} not found` };
  if (processorNamed(dispute.processor)) return { refused: `dispute ${disputeNo} is ${dispute.processor}'s: the processor decides it, not payrail` };
  if (isDisputeFinal(dispute.status)) return { refused: `dispute ${disputeNo} has ended already: ${DISPUTE_STATUS_DESC[dispute.status]}` };
  const attempt = await findApprovedAttempt(db, dispute.order_no);
  const recorded = await recordDisputeEvent(
    db,
    {
      processor: dispute.processor,
      processorDisputeId: dispute.processor_dispute_id,
      paymentReference: attempt?.acquirer_reference ?? '',
      amount: cents(dispute.amount_cents),
      currency: dispute.currency,
      reason: dispute.reason,
      stage: outcome,
      occurredAt: now,
    },
    dispute.order_no,
    now,
  );
  return { closed: recorded.dispute };
}
