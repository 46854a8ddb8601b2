import type { Acquirer, StoredAuthorizeRequest, StoredCardReference } from './acquirer.ts';
import type { Metrics } from '../metrics.ts';

/** The same connector, counting each call's outcome and latency per acquirer for /metrics. */
export function measured(acquirer: Acquirer, metrics: Pick<Metrics, 'acquirerCalls' | 'acquirerLatency'>): Acquirer {
  async function time<T extends { outcome: string }>(operation: string, call: () => Promise<T>): Promise<T> {
    const stop = metrics.acquirerLatency.startTimer({ acquirer: acquirer.name, operation });
    const result = await call();
    stop();
    metrics.acquirerCalls.inc({ acquirer: acquirer.name, operation, outcome: result.outcome });
    return result;
  }
  return {
    name: acquirer.name,
    paysOut: acquirer.paysOut,
    authorize: (request) => time('authorize', () => acquirer.authorize(request)),
    completeChallenge: (challengeId, code) => time('complete_challenge', () => acquirer.completeChallenge(challengeId, code)),
    queryAuthorization: (key) => time('query', () => acquirer.queryAuthorization(key)),
    refund: (request) => time('refund', () => acquirer.refund(request)),
    queryRefund: (key, sale) => time('refund_query', () => acquirer.queryRefund(key, sale)),
    payout: (request) => time('payout', () => acquirer.payout(request)),
    queryPayout: (key) => time('payout_query', () => acquirer.queryPayout(key)),
    ...(acquirer.cancelByReference ? { cancelByReference: (key: string) => time('cancel', () => acquirer.cancelByReference!(key)) } : {}),
    ...(acquirer.authorizeStored ? { authorizeStored: (request: StoredAuthorizeRequest) => time('authorize_stored', () => acquirer.authorizeStored!(request)) } : {}),
    ...(acquirer.deleteStoredCard ? { deleteStoredCard: (card: StoredCardReference) => time('delete_stored', () => acquirer.deleteStoredCard!(card)) } : {}),
    close: () => acquirer.close(),
  };
}
