import type { WireStatus } from './status.ts';
/** Amounts travel as strings with up to two decimals, such as `"300.00"`. */
export type Amount = string;
/**
 * An amount you send: a string such as `"300.00"`, or a number such as `300` or `12.5` (sent
 * and signed as `String(value)`; at most two decimals, else the gateway answers `8007`).
 */
export type AmountInput = Amount | number;

/** `0015` in progress, `0000` paid, `00029` failed (or expired/closed with the family status set), `00030` expired, `00031` closed. */
export type OrderStatus = (typeof WireStatus)[keyof typeof WireStatus] | (string & {});
/** `0015` processing, `0000` succeeded, `00029` failed. */
export type RefundStatus = typeof WireStatus.Processing | typeof WireStatus.Success | typeof WireStatus.Failed | (string & {});

export interface CheckoutRequest {
  /** Your order number: 1–64 of A-Z a-z 0-9 _ -, unique per merchant. */
  tradeNo: string;
  amount: AmountInput;
  /** `USD` (the default). */
  currency?: string;
  mobile: string;
  email: string;
  userId: string;
  notifyUrl: string;
  returnUrl: string;
  remark?: string;
  /** Your id for the customer: their saved cards are offered on the cashier page. Required with `saveCard`. */
  customerId?: string;
  /** `optional`: an unticked "save this card" box; `required`: the page says the card will be saved. */
  saveCard?: 'optional' | 'required';
}

/** `POST /v1/charge`: a merchant-initiated charge of a saved card. */
export interface ChargeRequest {
  tradeNo: string;
  amount: AmountInput;
  /** `USD` (the default). */
  currency?: string;
  customerId: string;
  cardToken: string;
  notifyUrl: string;
  /** The stored-credential indicator: a subscription, a top-up, an instalment. */
  reason: 'RECURRING' | 'UNSCHEDULED' | 'INSTALMENT';
  remark?: string;
}

export interface Charge {
  tradeNo: string;
  platFormTradeNo: string;
  /** `0000` paid, `00029` failed (`desc` says why), `0015` while the acquirer's answer is unknown. */
  status: OrderStatus;
  /** `SUCCESS`; a failed charge's reason alone (`DO_NOT_HONOR`, `EXPIRED_CARD`, `AUTHENTICATION_REQUIRED`); `PROCESSING`. */
  desc: string;
  remark: string | null;
  cardToken: string;
  /** With `desc` `AUTHENTICATION_REQUIRED` only: send the customer here to pay, present. */
  paymentUrl: string | null;
}

export interface SavedCard {
  cardToken: string;
  brand: 'visa' | 'mastercard' | (string & {});
  last4: string;
  expiryMonth: number;
  expiryYear: number;
  createdTime: string;
}

/** The answer of `POST /v1/card/delete`: the card is deleted here (and Payrail asked its acquirer to forget it). */
export interface DeletedCard {
  cardToken: string;
  deleted: true;
}

export interface Checkout {
  platFormTradeNo: string;
  /** Your order number, as you sent it. */
  tradeNo: string;
  status: OrderStatus;
  desc: string;
  remark: string | null;
  /** Send the customer here. */
  paymentUrl: string;
  /** The same URL as `paymentUrl`, under the name newer family APIs use. */
  paymentLink: string;
}

export type OrderReference = { tradeNo: string; platFormTradeNo?: string } | { tradeNo?: string; platFormTradeNo: string };

export interface Order {
  tradeNo: string;
  platFormTradeNo: string;
  status: OrderStatus;
  desc: string;
  message: string;
  amount: Amount;
  orderAmount: Amount;
  payAmount: Amount;
  currency: string;
  remark: string | null;
  createTime: string;
  successTime: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  refundedAmount: Amount;
  /** The saved card the order was paid with, or saved; `null` otherwise. */
  cardToken: string | null;
  /** Only once the order is disputed: its latest dispute's status, `0015` OPEN, `0000` WON, `00029` LOST. */
  disputeStatus?: DisputeStatus;
}

/** A dispute's status: `0015` OPEN (its amount held), `0000` WON (given back), `00029` LOST (taken, with the dispute fee). */
export type DisputeStatus = typeof WireStatus.Processing | typeof WireStatus.Success | typeof WireStatus.Failed | (string & {});

/** One chargeback of a paid order (docs: API section 13). */
export interface Dispute {
  disputeNo: string;
  status: DisputeStatus;
  /** `OPEN`, `WON` or `LOST`. */
  desc: string;
  /** The reason: `FRAUDULENT`, `PRODUCT_NOT_RECEIVED`, `DUPLICATE`, `SUBSCRIPTION_CANCELED`, `CREDIT_NOT_PROCESSED`, `GENERAL`, … */
  message: string;
  amount: Amount;
  currency: string;
  evidenceDueBy: string | null;
  createdTime: string;
  closedTime: string | null;
}

/** An order and its disputes, oldest first. */
export interface OrderDisputes {
  tradeNo: string;
  platFormTradeNo: string;
  disputes: Dispute[];
}

export type RefundRequest = OrderReference & {
  /** Your refund id: 1–64 of A-Z a-z 0-9 _ -, unique per merchant. */
  refundNo: string;
  amount: AmountInput;
  reason?: string;
};

export interface Refund {
  refundNo: string;
  tradeNo: string;
  platFormTradeNo: string;
  amount: Amount;
  currency: string;
  status: RefundStatus;
  desc: string;
  message: string;
  reason: string | null;
  createTime: string;
  successTime: string | null;
  refundedAmount: Amount;
}

export interface Balance {
  availableAmount: Amount;
  unsettledAmount: Amount;
  freezeAmount: Amount;
  currency: string;
}

/** A push-to-card payout (docs: API section 12). */
export interface PayoutRequest {
  /** Your payout id, unique among your payouts. */
  tradeNo: string;
  amount: AmountInput;
  currency?: string;
  customerName: string;
  /** `DebitCard`, the only type accepted. */
  customerAccountType?: 'DebitCard';
  /** The card number to pay to. */
  customerAccount: string;
  customerMobile?: string;
  customerEmail?: string;
  notifyUrl: string;
  remark?: string;
}

export interface Payout {
  tradeNo: string;
  platFormTradeNo: string;
  status: RefundStatus;
  desc: string;
  remark: string | null;
}

export interface PayoutState {
  tradeNo: string;
  platFormTradeNo: string;
  orderAmount: Amount;
  payAmount: Amount;
  status: RefundStatus;
  message: string;
  successTime: string | null;
  cardLast4: string | null;
}

/** What the gateway POSTs to your `notifyUrl`; every value is a string. */
export interface Notification {
  notifyType: 'PAYMENT' | 'REFUND' | 'PAYOUT' | 'DISPUTE' | (string & {});
  status: string;
  message: string;
  platFormTradeNo: string;
  tradeNo: string;
  amount: Amount;
  currency?: string;
  remark?: string;
  successTime?: string;
  refundNo?: string;
  /** A PAYMENT notification of an order paid with (or saving) a saved card. */
  cardToken?: string;
  /** A DISPUTE notification's dispute; `message` is then its reason. */
  disputeNo?: string;
  /** A DISPUTE notification's evidence due date, `yyyy-MM-dd HH:mm:ss` UTC, when known. */
  evidenceDueBy?: string;
  /** Unique per event and the same on every retry: dedupe by it. */
  notifyId: string;
  timestamp: string;
  signType?: 'HMAC-SHA256';
  sign: string;
}

/** What the gateway appends to your `returnUrl`, once its sign is checked. */
export interface ReturnParameters {
  tradeNo: string;
  platFormTradeNo: string;
  status: OrderStatus;
  timestamp: string;
}
