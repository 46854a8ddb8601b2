import type { GatewayContext } from '../context.ts';
import { isDisputeReason } from '../domain/dispute.ts';
import { cents } from '../domain/money.ts';
import { findApprovedAttempt } from '../store/attempts.ts';
import type { JobOutcome, JobRow } from '../store/jobs.ts';
import { findOrderByNo } from '../store/orders.ts';
import { applyDisputeEvent } from './apply-dispute-event.ts';

/** How long the merchant has to answer a simulator dispute. */
const EVIDENCE_DAYS = 7;

/** The simulator's id for the dispute of one payment: a job run twice opens it once. */
export const simulatorDisputeId = (attemptId: string) => `sim_dp_${attemptId}`;

/**
 * The simulator's dispute job (queued with a payment made with one of its dispute cards, docs/api.md
 * "Test cards"): the cardholder disputes the whole amount, as a processor's dispute event would say.
 */
export async function openSimulatorDispute(context: GatewayContext, job: JobRow): Promise<JobOutcome> {
  const order = job.order_no === null ? undefined : await findOrderByNo(context.db, job.order_no);
  const attempt = order ? await findApprovedAttempt(context.db, order.plat_form_trade_no) : undefined;
  if (!order || !attempt?.acquirer_reference || !isDisputeReason(job.detail)) {
    return { done: false, retryAt: null, error: `simulator dispute job ${job.id} names no paid order with a dispute reason` };
  }
  const now = context.now();
  await applyDisputeEvent(context, {
    // The connector that approved the payment and asked for the dispute (Approved.disputeAfter).
    processor: attempt.acquirer ?? context.acquirers.defaultName,
    processorDisputeId: simulatorDisputeId(attempt.id),
    paymentReference: attempt.acquirer_reference,
    amount: cents(order.amount_cents),
    currency: order.currency,
    reason: job.detail,
    evidenceDueBy: new Date(now.getTime() + EVIDENCE_DAYS * 86_400_000),
    stage: 'opened',
    occurredAt: now,
  });
  return { done: true };
}
