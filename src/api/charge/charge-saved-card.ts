import { createHash } from 'node:crypto';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { newOrderNo, newPaymentToken } from '../../domain/ids.ts';
import { failedOrder, failureReasonOf, isInState, wireStatus } from '../../domain/order-status.ts';
import { authenticationTradeNo } from '../../domain/saved-card.ts';
import type { WireBody } from '../../domain/signature.ts';
import { payWithSavedCard } from '../../payments/pay-with-saved-card.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import { findOrder, findOrderByNo, insertOrder, markOrderClosed, type NewOrder, type OrderRow } from '../../store/orders.ts';
import { findSavedCard, type SavedCardRow } from '../../store/saved-cards.ts';
import { paymentUrl } from '../checkout/checkout-view.ts';
import { requestHash } from '../request-hash.ts';
import type { ChargeInput } from './schema.ts';

const AUTHENTICATION_REQUIRED = failedOrder('AUTHENTICATION_REQUIRED');

/**
 * `POST /v1/charge`: an order created and charged at once with a customer's saved card, without
 * the customer. A tradeNo already used answers its order as it stands (8005 with other fields),
 * even when the card was deleted since. When the issuer wants the customer present, a new order
 * (tradeNo + `.auth`) is created for them to pay on the cashier page.
 */
export async function chargeSavedCard(context: GatewayContext, merchant: MerchantRow, body: WireBody, input: ChargeInput) {
  const hash = requestHash(body);
  const existing = await findOrder(context.db, merchant.merchant_no, { tradeNo: input.tradeNo });
  if (existing) return answerExisting(context, merchant, existing, hash, input);
  const card = await findSavedCard(context.db, merchant.merchant_no, input.cardToken);
  if (!card || card.customer_id !== input.customerId) {
    throw new PayrailError(BusinessCode.NotFound, `cardToken ${input.cardToken} not found for customerId ${input.customerId}`);
  }
  const origin = await findOrderByNo(context.db, card.order_no);
  const { order, created } = await insertOrder(context.db, context.orderBatcher, {
    ...newOrderFor(context, card, origin, input),
    trade_no: input.tradeNo,
    request_hash: hash,
    amount_cents: input.amount,
    currency: input.currency,
    notify_url: input.notifyUrl,
    remark: input.remark,
    merchant_initiated: true,
    card_token: card.card_token,
  });
  if (!created) return answerExisting(context, merchant, (await findOrderByNo(context.db, order.plat_form_trade_no))!, hash, input);
  context.metrics.ordersCreated.inc();
  const result = await payWithSavedCard(context, {
    token: order.payment_token!,
    order: { amount_cents: input.amount, currency: input.currency },
    card,
    initiator: 'merchant',
    reason: input.reason,
    clientIp: null,
  });
  if (result.kind === 'rate_limited') {
    await markOrderClosed(context.db, order.plat_form_trade_no, context.now());
    context.waker.wake();
    throw new PayrailError(BusinessCode.RateLimited, `cardToken ${input.cardToken} has reached the card-testing cap; order ${input.tradeNo} is closed`);
  }
  return chargeView(context, merchant, (await findOrderByNo(context.db, order.plat_form_trade_no))!, card.card_token, origin);
}

async function answerExisting(context: GatewayContext, merchant: MerchantRow, order: OrderRow, hash: string, input: ChargeInput) {
  if (order.request_hash !== hash || !order.merchant_initiated) {
    throw new PayrailError(BusinessCode.DuplicateReference, `tradeNo ${input.tradeNo} was already used with different parameters`);
  }
  const card = await findSavedCard(context.db, merchant.merchant_no, input.cardToken);
  const origin = card ? await findOrderByNo(context.db, card.order_no) : undefined;
  return chargeView(context, merchant, order, input.cardToken, origin);
}

/**
 * What the charge answers: a failed charge's `desc` is its bare reason (`AUTHENTICATION_REQUIRED`,
 * `EXPIRED_CARD`, …), as section 14 of the contract says; the order's query and notification keep
 * `FAILED: <reason>`. With AUTHENTICATION_REQUIRED, the paymentUrl of the order the customer pays instead.
 */
async function chargeView(context: GatewayContext, merchant: MerchantRow, order: OrderRow, cardToken: string, origin: OrderRow | undefined) {
  const needsCustomer = isInState(order, AUTHENTICATION_REQUIRED);
  return {
    tradeNo: order.trade_no,
    platFormTradeNo: order.plat_form_trade_no,
    status: wireStatus(order.status, merchant.status_set),
    desc: failureReasonOf(order) ?? order.status_desc,
    remark: order.remark,
    cardToken,
    paymentUrl: needsCustomer ? paymentUrl(context.config.publicUrl, await authenticationOrder(context, order, origin)) : null,
  };
}

/**
 * The order a customer pays, present, when the issuer refused the charge without them: the same
 * amount, customer and notifyUrl, their saved cards offered on the page. Created once (its tradeNo
 * is the charge's and `.auth`, which no merchant tradeNo can be); a repeated charge finds it.
 */
async function authenticationOrder(context: GatewayContext, charge: OrderRow, origin: OrderRow | undefined) {
  const { order } = await insertOrder(context.db, context.orderBatcher, {
    plat_form_trade_no: newOrderNo(),
    merchant_no: charge.merchant_no,
    trade_no: authenticationTradeNo(charge.trade_no),
    request_hash: createHash('sha256').update(`authentication of ${charge.plat_form_trade_no}`).digest('hex'),
    amount_cents: charge.amount_cents,
    currency: charge.currency,
    mobile: origin?.mobile ?? charge.mobile,
    email: origin?.email ?? charge.email,
    user_id: charge.user_id,
    notify_url: charge.notify_url,
    return_url: origin?.return_url ?? charge.return_url,
    remark: charge.remark,
    payment_token: newPaymentToken(),
    expires_at: new Date(context.now().getTime() + context.config.orderTtlMinutes * 60_000),
    customer_id: charge.customer_id,
  });
  return order;
}

/** The customer's contact details of a charge's order: those of the order that saved the card. */
function newOrderFor(context: GatewayContext, card: SavedCardRow, origin: OrderRow | undefined, input: ChargeInput) {
  return {
    plat_form_trade_no: newOrderNo(),
    merchant_no: card.merchant_no,
    mobile: origin?.mobile ?? '',
    email: origin?.email ?? '',
    user_id: origin?.user_id ?? input.customerId,
    return_url: origin?.return_url ?? input.notifyUrl,
    payment_token: newPaymentToken(),
    expires_at: new Date(context.now().getTime() + context.config.orderTtlMinutes * 60_000),
    customer_id: input.customerId,
  } satisfies Partial<NewOrder>;
}
