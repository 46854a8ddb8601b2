import { Type } from '@sinclair/typebox';
import type { Cents } from '../../domain/money.ts';
import type { WireBody } from '../../domain/signature.ts';
import { CHARGE_REASONS, CARD_TOKEN_PATTERN, type ChargeReason } from '../../domain/saved-card.ts';
import { AMOUNT, CARD_TOKEN, CURRENCY, CUSTOMER_ID, PLAT_FORM_TRADE_NO, REMARK, TRADE_NO, URL_RULE, amountOf, currency, oneOf, optionalText, text, textRule, url } from '../fields.ts';
import { notificationCallback, nullable, signedRequest, type OperationDoc } from '../wire-schema.ts';
import { CHARGE_ANSWER_EXAMPLES, CHARGE_REQUEST_EXAMPLES } from './examples.ts';
import { PAYMENT_NOTIFICATION } from '../checkout/examples.ts';

/** The fields of `POST /v1/charge`: a merchant-initiated charge of a saved card. */
export const CHARGE_REQUEST = signedRequest(
  {
    tradeNo: TRADE_NO,
    amount: { ...AMOUNT, description: `${AMOUNT.description} Within the merchant's limits, else \`8007\`.` },
    currency: CURRENCY,
    customerId: CUSTOMER_ID,
    cardToken: CARD_TOKEN,
    notifyUrl: { ...URL_RULE, examples: ['https://merchant.example/notify'] },
    remark: REMARK,
    reason: textRule(
      { maxLength: 16, enum: [...CHARGE_REASONS] },
      {
        description:
          'Why you charge without the customer, for the stored-credential indicators: `RECURRING` (a subscription), `UNSCHEDULED` (a top-up when the balance runs low) or `INSTALMENT`.',
        example: 'RECURRING',
      },
    ),
  },
  ['tradeNo', 'amount', 'currency', 'customerId', 'cardToken', 'notifyUrl', 'reason'],
  'Field lengths count characters. A broken rule is `8002` naming the field unless a field says otherwise.',
);

export interface ChargeInput {
  tradeNo: string;
  amount: Cents;
  currency: 'USD';
  customerId: string;
  cardToken: string;
  notifyUrl: string;
  remark: string | null;
  reason: ChargeReason;
}

/** Reads and checks the body of `POST /v1/charge`. */
export function parseCharge(body: WireBody, options: { allowPrivateNotify: boolean }): ChargeInput {
  const rules = CHARGE_REQUEST.properties;
  return {
    tradeNo: text(body, 'tradeNo', rules.tradeNo),
    amount: amountOf(body),
    currency: currency(body, 'currency', rules.currency),
    customerId: text(body, 'customerId', rules.customerId),
    cardToken: text(body, 'cardToken', rules.cardToken),
    notifyUrl: url(body, 'notifyUrl', { allowPrivate: options.allowPrivateNotify }),
    remark: optionalText(body, 'remark', rules.remark),
    reason: oneOf(body, 'reason', rules.reason) as ChargeReason,
  };
}

const CHARGE_ANSWER = Type.Object({
  tradeNo: TRADE_NO,
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  status: Type.String({
    description: "`0000` paid; `00029` failed (`desc` says why); `0015` while the acquirer's answer is not known (the gateway reconciles it and the notification follows).",
  }),
  desc: Type.String({ description: '`SUCCESS`; when failed, the reason alone (`DO_NOT_HONOR`, `EXPIRED_CARD`, `AUTHENTICATION_REQUIRED`, …; the order\'s query answer and notification say `FAILED: <reason>`); `PROCESSING` while unknown.' }),
  remark: nullable(Type.String()),
  cardToken: Type.String({ pattern: CARD_TOKEN_PATTERN, description: 'The saved card charged.' }),
  paymentUrl: nullable(
    Type.String(),
    "With `desc` `AUTHENTICATION_REQUIRED` only: the cashier page of a new order (your tradeNo followed by `.auth`; query it by its platFormTradeNo in the notification) for the customer to pay, present; `null` otherwise.",
  ),
});

export const CHARGE_OPERATION: OperationDoc = {
  operationId: 'charge',
  tag: 'Cards on file',
  summary: "Charge a customer's saved card (merchant-initiated)",
  description:
    "Creates an order and charges the saved card at once, without the customer, through the acquirer that saved it, marked merchant-initiated with the stored-credential indicators the processor wants. One decline ends the order (`00029`). One decline's `desc` is its reason alone. A saved card past its expiry is `00029` `EXPIRED_CARD` without calling the acquirer. When the issuer wants the customer present, the answer is `00029` `AUTHENTICATION_REQUIRED` with the `paymentUrl` of a new order to send them to. An unknown or deleted `cardToken`, or one of another customer: `8009`. The card-testing caps count these attempts: past one, `8012` and the order is closed.\n\n**Idempotency** by `tradeNo`, as for a checkout: the same fields again answer the same order as it stands now; other fields, `8005`. The ledger, the `PAYMENT` notification, refunds and disputes work as for any order.",
  request: CHARGE_REQUEST,
  requestExamples: CHARGE_REQUEST_EXAMPLES,
  data: CHARGE_ANSWER,
  answerDescription: 'The order the charge made, new or found again.',
  answerExamples: CHARGE_ANSWER_EXAMPLES,
  callbacks: { paymentNotification: notificationCallback('Payment notification (the charge reached a final status)', PAYMENT_NOTIFICATION) },
};
