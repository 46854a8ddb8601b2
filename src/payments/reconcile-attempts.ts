import type { GatewayContext } from '../context.ts';
import { claimAttemptsToReconcile, type AttemptRow } from '../store/attempts.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { settleAttempt } from './settle-attempt.ts';
import { notFoundIsFinalAfterMs, reconcileLeaseMs } from './timing.ts';

/**
 * Settles attempts whose outcome we do not know (an acquirer timeout, a dropped answer, a crash
 * mid-call) by asking the acquirer with the attempt's idempotency key; ends 3-D Secure steps the
 * customer abandoned. Runs in every gateway process; claims make each attempt one node's job.
 */
export async function reconcileAttempts(context: GatewayContext, batch = 20): Promise<number> {
  const attempts = await claimAttemptsToReconcile(context.db, batch, reconcileLeaseMs(context.config.acquirerTimeoutMs));
  await Promise.all(attempts.map((attempt) => reconcileAttempt(context, attempt)));
  return attempts.length;
}

async function reconcileAttempt(context: GatewayContext, attempt: AttemptRow) {
  const answer = await context.acquirer.queryAuthorization(attempt.id);
  // "Never received" is believed only once a request we sent can no longer be on its way:
  // until then the attempt stays in flight and is asked about again.
  const sentAgo = context.now().getTime() - attempt.updated_at.getTime();
  if (answer.outcome === 'not_found' && sentAgo < notFoundIsFinalAfterMs(context.config.acquirerTimeoutMs)) return;
  const outcome =
    attempt.status === 'challenge' && answer.outcome === 'challenge'
      ? ({ status: 'error', reason: 'CHALLENGE_ABANDONED' } as const)
      : attemptOutcomeOf(answer);
  if (outcome.status === 'unknown' || outcome.status === attempt.status) return;
  const result = await settleAttempt(context, attempt.id, attempt.status, outcome);
  context.log.info({ attempt: attempt.id, from: attempt.status, to: outcome.status, payment: result.kind }, 'attempt reconciled');
}
