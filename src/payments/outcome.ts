import type { AuthorizationQueryResult } from '../acquirers/acquirer.ts';
import type { AttemptOutcome } from '../store/attempt-outcome.ts';

/**
 * What an acquirer's answer means for our attempt. `not_found` on a query means the request
 * never reached the acquirer: no money moved. Anything unreadable stays `unknown`.
 */
export function attemptOutcomeOf(result: AuthorizationQueryResult): AttemptOutcome {
  switch (result.outcome) {
    case 'approved':
      return { status: 'approved', reference: result.reference, ...(result.storedCard ? { storedCard: result.storedCard } : {}), ...(result.disputeAfter ? { disputeAfter: result.disputeAfter } : {}) };
    case 'declined':
      return { status: 'declined', reason: result.reason };
    case 'error':
      return { status: 'error', reason: result.reason };
    case 'challenge':
      return { status: 'challenge', challengeId: result.challengeId, redirect: result.redirect };
    case 'not_found':
      return { status: 'error', reason: 'NOT_RECEIVED' };
    default:
      return { status: 'unknown', detail: result.outcome === 'unknown' ? result.detail : 'unrecognised answer' };
  }
}
