import type { AuthorizationQueryResult, RefundQueryResult } from './acquirer.ts';

/**
 * A verified processor webhook event, read into what it says about one of our attempts or
 * refunds. Events that say nothing we act on are still stored (once) and acknowledged.
 */
export interface ProcessorEvent {
  acquirer: 'stripe' | 'adyen';
  /** Unique per event at that processor: stored once, so a replay changes nothing. */
  id: string;
  type: string;
  settles?:
    | { kind: 'attempt'; attemptId: string; answer: AuthorizationQueryResult }
    | { kind: 'refund'; refundId: string; answer: RefundQueryResult };
}

/** Why a webhook body was refused; logged without the body. */
export interface RefusedWebhook {
  refused: string;
}
