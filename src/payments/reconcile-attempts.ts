import type { AuthorizationQueryResult } from '../acquirers/acquirer.ts';
import type { GatewayContext } from '../context.ts';
import { AttemptStatus, canMoveAttempt, isInFlight } from '../domain/attempt-status.ts';
import { claimAttemptsToReconcile, type AttemptRow } from '../store/attempts.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { noteLateApproval, settleAttempt } from './settle-attempt.ts';
import { notFoundIsFinalAfterMs, reconcileLeaseMs } from './timing.ts';

/**
 * Settles attempts whose outcome we do not know (an acquirer timeout, a dropped answer, a crash
 * mid-call) by asking the attempt's acquirer with its idempotency key; ends 3-D Secure steps the
 * customer abandoned. Runs in every gateway process; claims make each attempt one node's job.
 */
export async function reconcileAttempts(context: GatewayContext, batch = 20): Promise<number> {
  const attempts = await claimAttemptsToReconcile(context.db, batch, reconcileLeaseMs(context.config.acquirerTimeoutMs));
  await Promise.all(attempts.map((attempt) => reconcileAttempt(context, attempt)));
  return attempts.length;
}

async function reconcileAttempt(context: GatewayContext, attempt: AttemptRow) {
  const acquirer = context.acquirers.get(attempt.acquirer);
  const answer = await acquirer.queryAuthorization(attempt.id);
  const sentAgo = context.now().getTime() - attempt.updated_at.getTime();
  const bound = notFoundIsFinalAfterMs(context.config.acquirerTimeoutMs);
  // A processor with no query (Adyen) relies on its webhook; past the bound, the authorisation
  // is cancelled by our reference, so no money can stay taken without the order being paid.
  if (answer.outcome === 'unknown' && acquirer.cancelByReference && sentAgo >= bound) {
    const cancel = await acquirer.cancelByReference(attempt.id);
    if (cancel.outcome === 'cancelled') {
      await settleAttempt(context, attempt.id, attempt.status, { status: AttemptStatus.Error, reason: 'CANCELLED_UNKNOWN' }, 'reconciler');
      context.log.warn({ attempt: attempt.id, acquirer: acquirer.name }, 'attempt unknown past the bound; cancelled at the acquirer by reference');
    }
    return;
  }
  // "Never received" is believed only once a request we sent can no longer be on its way:
  // until then the attempt stays in flight and is asked about again.
  if (answer.outcome === 'not_found' && sentAgo < bound) return;
  await settleFromAcquirer(context, attempt, answer, 'reconciler');
}

/**
 * What an acquirer said about an attempt, from a query or a processor's webhook: the one path
 * both take, so they can never disagree. Compare-and-set from the status we read: an attempt
 * already settled (a duplicate, an event out of order) is not moved.
 */
export async function settleFromAcquirer(context: GatewayContext, attempt: AttemptRow, answer: AuthorizationQueryResult, source: string) {
  if (!isInFlight(attempt.status)) {
    if (answer.outcome === 'approved') await noteLateApproval(context, attempt, source);
    return;
  }
  const outcome =
    attempt.status === AttemptStatus.Challenge && answer.outcome === 'challenge'
      ? source === 'reconciler'
        ? ({ status: AttemptStatus.Error, reason: 'CHALLENGE_ABANDONED' } as const)
        : undefined
      : attemptOutcomeOf(answer);
  // "Still unknown" is no news; any other answer moves the attempt only along its state machine.
  if (!outcome || outcome.status === AttemptStatus.Unknown || !canMoveAttempt(attempt.status, outcome.status)) return;
  const settled = await settleAttempt(context, attempt.id, attempt.status, outcome, source);
  context.log.info({ attempt: attempt.id, from: attempt.status, to: outcome.status, recorded: settled.recorded, order: settled.order.status_desc, source }, 'attempt settled from the acquirer');
}
