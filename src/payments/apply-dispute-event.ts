import type { GatewayContext } from '../context.ts';
import { disputeMismatchesOf, type DisputeEvent } from '../domain/dispute.ts';
import type { Mismatch } from '../domain/event-match.ts';
import { findApprovedAttemptByReference, recordDisputeEvent, type RecordedDisputeEvent } from '../store/disputes.ts';
import { findOrderByNo } from '../store/orders.ts';

export type DisputeEventResult =
  /** Matched: recorded, with whatever money it moved. */
  | { outcome: 'settled'; orderNo: string; recorded: RecordedDisputeEvent }
  /** No approved payment of ours at that processor has this id. */
  | { outcome: 'ignored' }
  /** About one of our payments, but not what we were paid (amount above it, another currency): nothing moves. */
  | { outcome: 'mismatch'; orderNo: string; mismatch: Mismatch[] };

/**
 * A processor's dispute event (or the simulator's), applied to the paid order it is about: the
 * approved attempt with that processor's payment id, the amount at most what was paid, the same
 * currency. A match is recorded in one transaction (store/disputes.ts, recordDisputeEvent: the
 * dispute, its event, the ledger postings, the DISPUTE notification); duplicates, late and
 * out-of-order events move no money twice (domain/dispute.ts, nextDisputeState).
 */
export async function applyDisputeEvent(context: GatewayContext, event: DisputeEvent): Promise<DisputeEventResult> {
  const attempt = await findApprovedAttemptByReference(context.db, event.processor, event.paymentReference);
  const order = attempt ? await findOrderByNo(context.db, attempt.order_no) : undefined;
  if (!attempt || !order) return { outcome: 'ignored' };
  const mismatch = disputeMismatchesOf({ payment: attempt.acquirer_reference, paidCents: order.amount_cents, currency: order.currency }, event);
  if (mismatch.length > 0) return { outcome: 'mismatch', orderNo: order.plat_form_trade_no, mismatch };
  const recorded = await recordDisputeEvent(context.db, event, order.plat_form_trade_no, context.now());
  if (recorded.transition.movements.length > 0 || recorded.transition.notify) {
    context.log.info(
      { dispute: recorded.dispute.dispute_no, order: order.plat_form_trade_no, processor: event.processor, stage: event.stage, status: recorded.dispute.status, moved: recorded.transition.movements },
      'dispute event applied',
    );
  }
  return { outcome: 'settled', orderNo: order.plat_form_trade_no, recorded };
}
