import type { GatewayContext } from '../context.ts';
import { isFinal } from '../domain/order-status.ts';
import { recordLateApproval, type AttemptRow } from '../store/attempts.ts';
import { recordOutcome, type AttemptOutcome, type RecordResult } from '../store/attempt-outcome.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import { recheckAfter } from './timing.ts';

/**
 * Records an acquirer's answer for an attempt (compare-and-set from `from`) and answers what was
 * recorded. Builds no page: the cashier turns the result into its view (describe-payment.ts), the
 * reconciler and the processors' webhooks need nothing more.
 */
export async function settleAttempt(
  context: GatewayContext,
  attemptId: string,
  from: AttemptStatus,
  outcome: AttemptOutcome,
  source = 'customer',
): Promise<RecordResult> {
  const now = context.now();
  const settled = await recordOutcome(context.db, attemptId, from, outcome, {
    maxAttempts: context.config.maxAttempts,
    now,
    recheckAfter: recheckAfter(outcome.status, now, context.config.acquirerTimeoutMs),
    seal: (acquirerToken) => context.masterKey.seal(acquirerToken),
  });
  if (!settled.recorded && outcome.status === AttemptStatus.Approved) await noteLateApproval(context, settled.attempt, source);
  if (isFinal(settled.order.status)) context.waker.wake();
  if (settled.recorded) context.metrics.paymentAttempts.inc({ outcome: outcome.status });
  return settled;
}

/**
 * An acquirer approved an attempt we had already settled otherwise (an abandoned challenge
 * completed late, a reconciler and a customer racing): money moved, so an operator must refund
 * it. Recorded once per attempt, however many times it is reported; never dropped silently.
 */
export async function noteLateApproval(context: GatewayContext, attempt: AttemptRow, source: string): Promise<void> {
  if (attempt.status === AttemptStatus.Approved) return;
  await recordLateApproval(context.db, attempt);
  context.log.error({ attempt: attempt.id, order: attempt.order_no, now: attempt.status, source }, 'acquirer approved an attempt already settled; refund it');
}
