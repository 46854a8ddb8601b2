import { connectorNamed, type KnownProcessorEvent as ProcessorEvent } from '../acquirers/index.ts';
import type { GatewayContext } from '../context.ts';
import { mismatchesOf, type Mismatch } from '../domain/event-match.ts';
import { eventSeen, storeEvent, type StoredEvent } from '../store/acquirer-events.ts';
import { findAttempt, type AttemptRow } from '../store/attempts.ts';
import { findOrderByNo } from '../store/orders.ts';
import { findRefundById, findSaleOf } from '../store/refunds.ts';
import { settleFromAcquirer } from './reconcile-attempts.ts';
import { settleRefund } from './refund-payment.ts';
import { applyDisputeEvent } from './apply-dispute-event.ts';
import { RefundStatus } from '../domain/refund-status.ts';

export type EventResult = 'settled' | 'duplicate' | 'ignored' | 'mismatch' | 'unreadable';

/**
 * The processor's id for the payment we made, as we recorded it: the reference of an approved
 * sale or, for a processor whose 3-D Secure step is already the payment, its challenge id (its
 * connector says: `paymentIdOf`). Null while we do not know it (the processor's answer was lost):
 * amount and currency are still checked.
 */
function knownPaymentId(attempt: AttemptRow): string | null {
  const recorded = { reference: attempt.acquirer_reference, challengeId: attempt.challenge_id };
  const paymentIdOf = connectorNamed(attempt.acquirer)?.paymentIdOf;
  return paymentIdOf ? paymentIdOf(recorded) : recorded.reference;
}

/**
 * A verified processor event settles the attempt or refund it names through the reconciler's own
 * compare-and-set path, then is stored once; but only when it is about what we sent: the
 * processor's id for the payment (and the refund), the amount and the currency. One that is not
 * settles nothing and is stored with what did not match, counted and logged (never its body).
 * Settling first means a crash in between only makes the processor deliver again, which the
 * compare-and-set absorbs; a stored event is a duplicate.
 */
export async function settleProcessorEvent(context: GatewayContext, event: ProcessorEvent): Promise<EventResult> {
  const result = await settle(context, event);
  context.metrics.processorEvents.inc({ acquirer: event.acquirer, result });
  return result;
}

async function settle(context: GatewayContext, event: ProcessorEvent): Promise<EventResult> {
  if (await eventSeen(context.db, event.acquirer, event.id)) return 'duplicate';
  const settles = event.settles;
  const stored: StoredEvent = { acquirer: event.acquirer, id: event.id, type: event.type, reference: null, unreadable: event.unreadable ?? null };
  let outcome: EventResult = event.unreadable ? 'unreadable' : 'ignored';
  let mismatch: Mismatch[] = [];
  if (settles?.kind === 'attempt') {
    stored.reference = settles.attemptId;
    const attempt = await findAttempt(context.db, settles.attemptId);
    // Only an attempt that went to this processor can be settled by its event.
    const order = attempt && attempt.acquirer === event.acquirer ? await findOrderByNo(context.db, attempt.order_no) : undefined;
    if (attempt && order) {
      stored.orderNo = order.plat_form_trade_no;
      mismatch = mismatchesOf({ payment: knownPaymentId(attempt), amountCents: order.amount_cents, currency: order.currency }, settles.says);
      if (mismatch.length === 0) {
        await settleFromAcquirer(context, attempt, settles.answer, `${event.acquirer} webhook`);
        outcome = 'settled';
      }
    }
  } else if (settles?.kind === 'refund') {
    stored.reference = settles.refundId;
    const refund = await findRefundById(context.db, settles.refundId);
    const sale = refund ? await findSaleOf(context.db, refund.order_no) : undefined;
    if (refund && sale?.acquirer === event.acquirer) {
      stored.orderNo = refund.order_no;
      mismatch = mismatchesOf({ payment: sale.acquirer_reference, refund: refund.acquirer_reference, amountCents: refund.amount_cents, currency: sale.currency }, settles.says);
      if (mismatch.length === 0 && refund.status === RefundStatus.Processing) {
        await settleRefund(context, refund, settles.answer);
        outcome = 'settled';
      }
    }
  } else if (settles?.kind === 'dispute' && settles.dispute.processor === event.acquirer) {
    stored.reference = settles.dispute.processorDisputeId;
    const applied = await applyDisputeEvent(context, settles.dispute);
    if (applied.outcome !== 'ignored') stored.orderNo = applied.orderNo;
    if (applied.outcome === 'mismatch') mismatch = applied.mismatch;
    if (applied.outcome === 'settled') outcome = 'settled';
  }
  if (mismatch.length > 0) {
    stored.mismatch = mismatch;
    outcome = 'mismatch';
  }
  if (!(await storeEvent(context.db, stored))) return 'duplicate';
  if (outcome === 'mismatch') {
    context.log.warn(
      { acquirer: event.acquirer, event: event.id, type: event.type, [settles!.kind]: stored.reference, order: stored.orderNo, mismatch },
      'processor event does not match the payment we made; it settled nothing',
    );
  }
  if (outcome === 'unreadable') context.log.warn({ acquirer: event.acquirer, event: event.id, reason: event.unreadable }, 'processor event signed but not understood; stored, acknowledged');
  return outcome;
}
