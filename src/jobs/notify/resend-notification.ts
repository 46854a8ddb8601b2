import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { requeueLatestNotification, requeuePayoutNotification } from '../../store/jobs.ts';
import { oneMerchant } from '../../domain/console-scope.ts';
import { findOrder } from '../../store/orders.ts';
import { findPayout } from '../../store/payouts.ts';

export interface ResentNotification {
  tradeNo: string;
  platFormTradeNo: string;
  notifyId: string;
}

/**
 * Queues a merchant's notification again with a fresh retry schedule, even an acknowledged one:
 * the latest of the order the reference names, or, when it names no order, the PAYOUT
 * notification of that payout. The API's `POST /v1/notify/resend` and `payrail notify resend`
 * both come here; a refusal is a PayrailError with its business code.
 */
export async function resendNotification(
  db: Kysely<Database>,
  merchantNo: string,
  reference: { tradeNo?: string; platFormTradeNo?: string },
): Promise<ResentNotification> {
  const name = reference.tradeNo ?? reference.platFormTradeNo;
  const order = await findOrder(db, merchantNo, reference);
  if (order) {
    if (reference.platFormTradeNo !== undefined && order.plat_form_trade_no !== reference.platFormTradeNo) {
      throw new PayrailError(BusinessCode.OrderError, `tradeNo ${reference.tradeNo} and platFormTradeNo ${reference.platFormTradeNo} name different orders`);
    }
    const notifyId = await requeueLatestNotification(db, oneMerchant(order.merchant_no), order.plat_form_trade_no);
    if (!notifyId) throw new PayrailError(BusinessCode.StateForbidsOperation, `order ${name} has no notification yet`);
    return { tradeNo: order.trade_no, platFormTradeNo: order.plat_form_trade_no, notifyId };
  }
  const payout = await findPayout(db, merchantNo, reference);
  if (!payout) throw new PayrailError(BusinessCode.NotFound, `order ${name} not found`);
  const notifyId = await requeuePayoutNotification(db, payout.id);
  if (!notifyId) throw new PayrailError(BusinessCode.StateForbidsOperation, `payout ${name} has no notification yet`);
  return { tradeNo: payout.trade_no, platFormTradeNo: payout.plat_form_trade_no, notifyId };
}
