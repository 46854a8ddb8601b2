import { formatAmount, type Cents } from '../../domain/money.ts';
import { HMAC_SIGN_TYPE, signBody, type AppSecret, type SaltPlacement, type SignType } from '../../domain/signature.ts';
import { formatWireTime } from '../../domain/wire-time.ts';

/**
 * The body POSTed to a merchant's notifyUrl (docs/api.md, "Asynchronous notification").
 *
 * Build it at every attempt, not once at enqueue time: `timestamp` is then fresh enough to pass
 * a merchant's own timestamp window even on the retry hours later, and the sign uses the
 * merchant's current secret after a rotation. What stays fixed across retries is the event:
 * store these facts (with `notifyId`) in the outbox row.
 */

interface NotificationFactsBase {
  /** Unique per event and the same on every retry; merchants dedupe by it. */
  notifyId: string;
  platFormTradeNo: string;
  tradeNo: string;
  /** Order status (docs/api.md, "Order status"), or for a refund the refund's status. */
  status: string;
  /** The status's `desc`, e.g. `SUCCESS` or `FAILED: DO_NOT_HONOR`. */
  message: string;
  /** Paid amount, or for a refund the refunded amount, or for a payout the amount paid out. */
  amount: Cents;
  currency: string;
  /** As the merchant sent it at creation; left out when not set. */
  remark?: string | null;
  /**
   * When the money moved: for a payment, when it was paid (give it only for status 0000);
   * for a refund, when the refund succeeded. Left out when absent.
   */
  successTime?: Date | null;
}

export interface PaymentNotificationFacts extends NotificationFactsBase {
  notifyType: 'PAYMENT';
  /** The saved card the order was paid with or saved (cards on file); left out when none. */
  cardToken?: string | null;
}

export interface RefundNotificationFacts extends NotificationFactsBase {
  notifyType: 'REFUND';
  refundNo: string;
}

/** A payout that ended (docs/api.md, Payouts): its status, amount and, when paid, successTime. */
export interface PayoutNotificationFacts extends NotificationFactsBase {
  notifyType: 'PAYOUT';
}

/**
 * A dispute that opened or ended (docs/api.md, "Disputes"): the dispute's status after the event
 * told, its reason as `message`, the disputed amount and, when known, the evidence due date.
 */
export interface DisputeNotificationFacts extends NotificationFactsBase {
  notifyType: 'DISPUTE';
  disputeNo: string;
  evidenceDueBy?: Date | null;
}

export type NotificationFacts = PaymentNotificationFacts | RefundNotificationFacts | PayoutNotificationFacts | DisputeNotificationFacts;

/** How the merchant wants what we send signed: its secret, salt placement and the sign type it last used. */
export interface MerchantSigning {
  secret: AppSecret;
  placement: SaltPlacement;
  signType: SignType;
}

/** Every field is a string, as the family sends them; `sign` is last. */
export type NotificationBody = Readonly<Record<string, string>> & { readonly sign: string };

/** Builds and signs a notification body. Pure: the clock comes in as `now`. */
export function buildNotification(facts: NotificationFacts, signing: MerchantSigning, now: Date): NotificationBody {
  const fields: Record<string, string> = {
    notifyType: facts.notifyType,
    status: facts.status,
    message: facts.message,
    platFormTradeNo: facts.platFormTradeNo,
    tradeNo: facts.tradeNo,
    amount: formatAmount(facts.amount),
    currency: facts.currency,
  };
  if (facts.remark !== undefined && facts.remark !== null && facts.remark !== '') fields.remark = facts.remark;
  if (facts.successTime) fields.successTime = formatWireTime(facts.successTime);
  if (facts.notifyType === 'REFUND') fields.refundNo = facts.refundNo;
  if (facts.notifyType === 'DISPUTE') {
    fields.disputeNo = facts.disputeNo;
    if (facts.evidenceDueBy) fields.evidenceDueBy = formatWireTime(facts.evidenceDueBy);
  }
  if (facts.notifyType === 'PAYMENT' && facts.cardToken) fields.cardToken = facts.cardToken;
  fields.notifyId = facts.notifyId;
  fields.timestamp = String(now.getTime());
  // The sign type is itself signed, so a merchant verifying with its HMAC-only setting sees it.
  if (signing.signType === HMAC_SIGN_TYPE) fields.signType = HMAC_SIGN_TYPE;

  const sign = signBody(fields, signing.secret, signing);
  return Object.freeze({ ...fields, sign });
}
