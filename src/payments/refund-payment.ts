import type { GatewayContext } from '../context.ts';
import type { RefundResult, RefundQueryResult } from '../acquirers/acquirer.ts';
import { claimRefundsToReconcile, createRefund, findSaleOf, recordRefundOutcome, type NewRefund, type RefundRow } from '../store/refunds.ts';
import { reconcileLeaseMs, recheckProcessingMs } from './timing.ts';
import { RefundStatus } from '../domain/refund-status.ts';

export type RefundRequest = Omit<NewRefund, 'checkAfter'>;

/**
 * Gives money back: record the refund (refundable checked under the order's lock), ask the
 * acquirer outside the transaction, record its answer. An answer we do not understand leaves
 * the refund PROCESSING for the reconciler, which asks again with the same idempotency key.
 */
export async function refundPayment(context: GatewayContext, request: RefundRequest): Promise<RefundRow> {
  const { refund, created } = await createRefund(context.db, {
    ...request,
    checkAfter: new Date(context.now().getTime() + recheckProcessingMs(context.config.acquirerTimeoutMs)),
  });
  if (!created || refund.status !== RefundStatus.Processing) return refund;
  return sendRefund(context, refund);
}

async function sendRefund(context: GatewayContext, refund: RefundRow): Promise<RefundRow> {
  const sale = await findSaleOf(context.db, refund.order_no);
  const answer = await context.acquirers.get(sale.acquirer).refund({
    idempotencyKey: refund.id,
    reference: sale.acquirer_reference ?? '',
    amount: refund.amount_cents,
    currency: sale.currency,
  });
  return settleRefund(context, refund, answer);
}

/**
 * Records what the acquirer said about a refund (an answer, a query or a processor's webhook),
 * compare-and-set from PROCESSING: a refund already ended is not moved again.
 */
export async function settleRefund(context: GatewayContext, refund: RefundRow, answer: RefundResult | RefundQueryResult): Promise<RefundRow> {
  if (answer.outcome === 'unknown' || answer.outcome === 'not_found') return refund;
  const ended = await recordRefundOutcome(
    context.db,
    refund.id,
    answer.outcome === 'succeeded' ? { status: 'succeeded', reference: answer.reference } : { status: 'failed', reason: answer.reason },
    context.now(),
  );
  context.waker.wake();
  return ended;
}

/**
 * Settles refunds left PROCESSING: asks the acquirer by key; one it never received is sent again
 * with the same key, which the acquirer answers at most once.
 */
export async function reconcileRefunds(context: GatewayContext, batch = 20): Promise<number> {
  const refunds = await claimRefundsToReconcile(context.db, batch, reconcileLeaseMs(context.config.acquirerTimeoutMs));
  for (const refund of refunds) {
    const sale = await findSaleOf(context.db, refund.order_no);
    const answer = await context.acquirers.get(sale.acquirer).queryRefund(refund.id, sale.acquirer_reference ?? undefined);
    if (answer.outcome === 'not_found') await sendRefund(context, refund);
    else await settleRefund(context, refund, answer);
  }
  return refunds.length;
}
