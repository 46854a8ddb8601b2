import type { ProcessorEvent } from '../acquirers/processor-event.ts';
import type { GatewayContext } from '../context.ts';
import { eventSeen, storeEvent } from '../store/acquirer-events.ts';
import { findAttempt } from '../store/attempts.ts';
import { findRefundById, findSaleOf } from '../store/refunds.ts';
import { settleFromAcquirer } from './reconcile-attempts.ts';
import { settleRefund } from './refund-payment.ts';
import { RefundStatus } from '../domain/refund-status.ts';

/**
 * A verified processor event settles the attempt or refund it names through the reconciler's own
 * compare-and-set path, then is stored once. Settling first means a crash in between only makes
 * the processor deliver again, which the compare-and-set absorbs; a stored event is a duplicate.
 */
export async function settleProcessorEvent(context: GatewayContext, event: ProcessorEvent): Promise<'settled' | 'duplicate' | 'ignored'> {
  if (await eventSeen(context.db, event.acquirer, event.id)) return 'duplicate';
  const settles = event.settles;
  let outcome: 'settled' | 'ignored' = 'ignored';
  if (settles?.kind === 'attempt') {
    const attempt = await findAttempt(context.db, settles.attemptId);
    // Only an attempt that went to this processor can be settled by its event.
    if (attempt && attempt.acquirer === event.acquirer) {
      await settleFromAcquirer(context, attempt, settles.answer, `${event.acquirer} webhook`);
      outcome = 'settled';
    }
  } else if (settles?.kind === 'refund') {
    const refund = await findRefundById(context.db, settles.refundId);
    if (refund && refund.status === RefundStatus.Processing && (await findSaleOf(context.db, refund.order_no)).acquirer === event.acquirer) {
      await settleRefund(context, refund, settles.answer);
      outcome = 'settled';
    }
  }
  const reference = settles?.kind === 'attempt' ? settles.attemptId : settles?.kind === 'refund' ? settles.refundId : null;
  return (await storeEvent(context.db, { acquirer: event.acquirer, id: event.id, type: event.type, reference })) ? outcome : 'duplicate';
}
