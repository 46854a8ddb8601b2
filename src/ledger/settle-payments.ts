import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { claimOrderToSettle } from '../store/ledger/settlements.ts';
import { postSettlement } from '../store/ledger/ledger-postings.ts';

/**
 * Settlement (T+1 by default): paid orders older than the delay move from the merchant's
 * pending to available balance, one transaction per order, claimed with SKIP LOCKED so several
 * nodes can run it together.
 */
export async function settlePayments(db: Kysely<Database>, delayMs: number, now = new Date(), batch = 200): Promise<number> {
  let settled = 0;
  for (let i = 0; i < batch; i++) {
    const done = await db.transaction().execute(async (trx) => {
      const order = await claimOrderToSettle(trx, delayMs, now);
      if (!order) return false;
      await postSettlement(trx, order);
      return true;
    });
    if (!done) break;
    settled += 1;
  }
  return settled;
}
