import { Type } from '@sinclair/typebox';
import { BusinessCode, PayrailError, invalidParameter } from '../../domain/errors.ts';
import { formatAmount, type Cents } from '../../domain/money.ts';
import type { WireBody } from '../../domain/signature.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import { AMOUNT, amountOf, CURRENCY, CUSTOMER_ID, EMAIL, MOBILE, PLAT_FORM_TRADE_NO, REMARK, TRADE_NO, URL_RULE, absent, currency, describedAs, email, oneOf, optionalText, text, textRule, url } from '../fields.ts';
import { SAVE_CARD_MODES, type SaveCard } from '../../domain/saved-card.ts';
import { notificationCallback, nullable, signedRequest, type OperationDoc } from '../wire-schema.ts';
import { CHECKOUT_ANSWER_EXAMPLES, CHECKOUT_REQUEST_EXAMPLES, NOTIFY_URL, PAYMENT_NOTIFICATION } from './examples.ts';

/** The fields of `POST /v1/checkout`: what the document shows and what parseCreateCheckout checks. */
export const CHECKOUT_REQUEST = signedRequest(
  {
    tradeNo: TRADE_NO,
    amount: { ...AMOUNT, description: `${AMOUNT.description} Within the merchant's limits (by default 0.01 to 999999999.99), else \`8007\`.` },
    currency: CURRENCY,
    mobile: MOBILE,
    email: describedAs(EMAIL, "The customer's email address; the receipt goes there."),
    userId: textRule({ maxLength: 64 }, { description: 'Your customer id, 1–64 characters.', example: 'user-42' }),
    notifyUrl: {
      ...URL_RULE,
      description: `${URL_RULE.description} With \`NOTIFY_ALLOW_PRIVATE=false\` (the production default) a literal private or loopback address is refused too.`,
      examples: [NOTIFY_URL],
    },
    returnUrl: {
      ...URL_RULE,
      description: `${URL_RULE.description} Where the customer goes after paying, with a signed query: \`tradeNo\`, \`platFormTradeNo\`, \`status\`, \`timestamp\` (and \`signType\` for HMAC-SHA256) and \`sign\` are appended; only those appended parameters are signed, a query already in the URL is kept but not signed (e.g. \`https://shop.example/back?session=abc\` comes back as \`…?session=abc&tradeNo=…&sign=…\`, signed over \`platFormTradeNo…status…timestamp…tradeNo…\` only).`,
      examples: ['https://shop.example/orders/ORDER-1001'],
    },
    remark: REMARK,
    customerId: describedAs(CUSTOMER_ID, 'Optional: your id for the customer, 1–64 of `A-Z a-z 0-9 _ -`. Their saved cards are shown on the cashier page, payable in one step; required with `saveCard`.', 'cus-42'),
    saveCard: textRule(
      { maxLength: 8, enum: [...SAVE_CARD_MODES] },
      {
        description:
          'Optional. `optional`: the cashier offers an unticked "Save this card for future payments"; `required`: the page says the card will be saved (the first payment of a subscription). A paid order that saved its card answers its `cardToken`. Needs `customerId` (`8002` otherwise).',
        example: 'optional',
      },
    ),
  },
  ['tradeNo', 'amount', 'currency', 'mobile', 'email', 'userId', 'notifyUrl', 'returnUrl'],
  'Field lengths count characters. A broken rule is `8002` naming the field unless a field says otherwise.',
);

export interface CreateCheckoutInput {
  tradeNo: string;
  amount: Cents;
  currency: 'USD';
  mobile: string;
  email: string;
  userId: string;
  notifyUrl: string;
  returnUrl: string;
  remark: string | null;
  customerId: string | null;
  saveCard: SaveCard | null;
}

/** Reads and checks the body of `POST /v1/checkout` against its rules and the merchant's limits. */
export function parseCreateCheckout(body: WireBody, merchant: MerchantRow, options: { allowPrivateNotify: boolean }): CreateCheckoutInput {
  const rules = CHECKOUT_REQUEST.properties;
  const input: CreateCheckoutInput = {
    tradeNo: text(body, 'tradeNo', rules.tradeNo),
    amount: amountOf(body),
    currency: currency(body, 'currency', rules.currency),
    mobile: text(body, 'mobile', rules.mobile),
    email: email(body, 'email', rules.email),
    userId: text(body, 'userId', rules.userId),
    notifyUrl: url(body, 'notifyUrl', { allowPrivate: options.allowPrivateNotify }),
    returnUrl: url(body, 'returnUrl'),
    remark: optionalText(body, 'remark', rules.remark),
    customerId: optionalText(body, 'customerId', rules.customerId),
    saveCard: absent(body, 'saveCard') ? null : (oneOf(body, 'saveCard', rules.saveCard) as SaveCard),
  };
  if (input.saveCard && !input.customerId) throw invalidParameter('customerId', 'is required when the card is to be saved');
  if (input.amount < merchant.min_amount_cents || input.amount > merchant.max_amount_cents) {
    throw new PayrailError(
      BusinessCode.AmountInvalid,
      `amount must be between ${formatAmount(merchant.min_amount_cents)} and ${formatAmount(merchant.max_amount_cents)} for this merchant`,
    );
  }
  return input;
}

const PAYMENT_URL_DESCRIPTION =
  '`<PUBLIC_URL>/checkout?data=<token>`: the hosted cashier page. The token is 256 random bits in hex; the page answers 410 once the order is final.';

const CHECKOUT_CREATED = Type.Object({
  platFormTradeNo: PLAT_FORM_TRADE_NO,
  tradeNo: describedAs(TRADE_NO, 'Your order number, as you sent it.'),
  status: Type.String({ description: "The order's current status; `0015` for a new order." }),
  desc: Type.String({ description: '`CREATED` for a new order.' }),
  remark: nullable(Type.String()),
  paymentUrl: Type.String({ description: PAYMENT_URL_DESCRIPTION }),
  paymentLink: Type.String({
    description: 'The same URL as `paymentUrl`, under the name newer brands of the family answer (family merchant code reads either).',
  }),
});

export const CHECKOUT_OPERATION: OperationDoc = {
  operationId: 'createCheckout',
  tag: 'Checkout',
  summary: 'Create a card checkout',
  description:
    'Creates an order and answers the `paymentUrl` (also as `paymentLink`, the family\'s other name for it) of the hosted cashier page to send the customer to. Unknown extra fields are allowed: they are part of the sign and of the idempotency check, and otherwise ignored.\n\n**Idempotency.** The same `tradeNo` sent again with every field other than `timestamp`, `sign` and `signType` equal answers the same order (`0000`, same `platFormTradeNo` and `paymentUrl`, current status) for as long as the order exists; with any other field different it is refused with `8005`. Racing duplicates create one order.',
  request: CHECKOUT_REQUEST,
  requestExamples: CHECKOUT_REQUEST_EXAMPLES,
  data: CHECKOUT_CREATED,
  answerDescription: 'The order, new or found again.',
  answerExamples: CHECKOUT_ANSWER_EXAMPLES,
  callbacks: { paymentNotification: notificationCallback('Payment notification (the order reached a final status)', PAYMENT_NOTIFICATION) },
};
