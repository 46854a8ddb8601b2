import type { GatewayContext } from '../context.ts';
import { claimPayoutsToReconcile } from '../store/payouts.ts';
import { sendPayout, settlePayout } from './pay-out.ts';
import { reconcileLeaseMs } from './timing.ts';

/**
 * Settles payouts left PROCESSING: asks the acquirer by key; one it never received is sent again
 * with the same key, which the acquirer pays at most once.
 */
export async function reconcilePayouts(context: GatewayContext, batch = 20): Promise<number> {
  const payouts = await claimPayoutsToReconcile(context.db, batch, reconcileLeaseMs(context.config.acquirerTimeoutMs));
  for (const payout of payouts) {
    // The acquirer recorded on the row, whatever ACQUIRER says now (null: rows from before, the default).
    const answer = await context.acquirers.get(payout.acquirer).queryPayout(payout.id);
    if (answer.outcome === 'not_found') await sendPayout(context, payout);
    else await settlePayout(context, payout, answer);
  }
  return payouts.length;
}
