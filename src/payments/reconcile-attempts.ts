import type { GatewayContext } from '../context.ts';
import { claimAttemptsToReconcile } from '../store/attempts.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { settleAttempt } from './settle-attempt.ts';
import { RECONCILE_LEASE_MS } from './timing.ts';

/**
 * Settles attempts whose outcome we do not know (an acquirer timeout, a dropped answer, a crash
 * mid-call) by asking the acquirer with the attempt's idempotency key; ends 3-D Secure steps the
 * customer abandoned. Runs in every gateway process; claims make each attempt one node's job.
 */
export async function reconcileAttempts(context: GatewayContext, batch = 20): Promise<number> {
  const attempts = await claimAttemptsToReconcile(context.db, batch, RECONCILE_LEASE_MS);
  for (const attempt of attempts) {
    const answer = await context.acquirer.queryAuthorization(attempt.id);
    const outcome =
      attempt.status === 'challenge' && answer.outcome === 'challenge'
        ? ({ status: 'error', reason: 'CHALLENGE_ABANDONED' } as const)
        : attemptOutcomeOf(answer);
    if (outcome.status === 'unknown' || outcome.status === attempt.status) continue;
    const result = await settleAttempt(context, attempt.id, attempt.status, outcome);
    context.log.info({ attempt: attempt.id, from: attempt.status, to: outcome.status, payment: result.kind }, 'attempt reconciled');
  }
  return attempts.length;
}
