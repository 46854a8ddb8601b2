import { checkNumber, type CardBrand } from '../../domain/card.ts';
import { invalidParameter } from '../../domain/errors.ts';
import { type Cents } from '../../domain/money.ts';
import { secretPan } from '../../domain/card.ts';
import type { Secret } from '../../domain/secret.ts';
import type { WireBody } from '../../domain/signature.ts';
import { AMOUNT, amountOf, CURRENCY, EMAIL, MOBILE, REMARK, TRADE_NO, URL_RULE, absent, currency, describedAs, email, oneOf, optionalText, text, textRule, url } from '../fields.ts';
import { PAYOUT_CREATED_SCHEMA } from '../payout-view.ts';
import { notificationCallback, signedRequest, type OperationDoc } from '../wire-schema.ts';
import { PAYOUT_ANSWER_EXAMPLES, PAYOUT_NOTIFICATION, PAYOUT_REQUEST_EXAMPLES } from './examples.ts';

/** The only account type of the family that is a card. */
export const DEBIT_CARD = 'DebitCard';

/** The fields of `POST /v1/payout` (docs/api.md, Payouts): what the document shows and what parsePayout checks. */
export const PAYOUT_REQUEST = signedRequest(
  {
    tradeNo: describedAs(TRADE_NO, 'Your payout id: 1–64 of `A-Z a-z 0-9 _ -`, unique among your payouts.', 'PAYOUT-2001'),
    amount: { ...AMOUNT, description: `${AMOUNT.description} With your payout fee, at most \`availableAmount\` (\`8015\`).`, examples: ['150.00'] },
    currency: CURRENCY,
    customerName: textRule({ maxLength: 64 }, { description: 'The name of the person paid.', example: 'Grace Hopper' }),
    customerAccountType: textRule({ maxLength: 32, enum: [DEBIT_CARD] }, { description: `Only \`${DEBIT_CARD}\`; any other type is \`8002\`.`, example: DEBIT_CARD }),
    customerAccount: textRule(
      { maxLength: 19, minLength: 12, pattern: '^[0-9]+$', hint: 'must be the card number, digits only' },
      { description: 'The card number, digits only: Visa or Mastercard, passing the Luhn check (`8002`).', example: '4242424242424242' },
    ),
    customerMobile: describedAs(MOBILE, 'Optional. Country code and number, 6–15 digits, optionally after `+`.', '918234567890'),
    customerEmail: describedAs(EMAIL, 'Optional.', 'grace@example.com'),
    notifyUrl: { ...URL_RULE, description: `${URL_RULE.description} The \`PAYOUT\` notification goes there.`, examples: ['https://merchant.example/payout-notify'] },
    remark: describedAs(REMARK, 'Optional, at most 256 characters, returned as is.', 'weekly payout'),
  },
  ['tradeNo', 'amount', 'currency', 'customerName', 'customerAccountType', 'customerAccount', 'notifyUrl'],
);

export interface PayoutInput {
  tradeNo: string;
  amount: Cents;
  currency: 'USD';
  customerName: string;
  card: { number: Secret<string>; brand: CardBrand };
  customerMobile: string | null;
  customerEmail: string | null;
  notifyUrl: string;
  remark: string | null;
}

/** Reads and checks the body of `POST /v1/payout` (docs/api.md, Payouts). */
export function parsePayout(body: WireBody, options: { allowPrivateNotify: boolean }): PayoutInput {
  const rules = PAYOUT_REQUEST.properties;
  const tradeNo = text(body, 'tradeNo', rules.tradeNo);
  const amount = amountOf(body);
  const payoutCurrency = currency(body, 'currency', rules.currency);
  const customerName = text(body, 'customerName', rules.customerName);
  oneOf(body, 'customerAccountType', rules.customerAccountType);
  const account = text(body, 'customerAccount', rules.customerAccount);
  const checked = checkNumber(account);
  if (!checked.ok) {
    const why = checked.reason === 'card.luhn' ? 'fails the Luhn check' : checked.reason === 'card.brand' ? 'must be a Visa or Mastercard card' : 'is not a valid card number';
    throw invalidParameter('customerAccount', why);
  }
  return {
    tradeNo,
    amount,
    currency: payoutCurrency,
    customerName,
    card: { number: secretPan(checked.value.digits), brand: checked.value.brand },
    customerMobile: absent(body, 'customerMobile') ? null : text(body, 'customerMobile', rules.customerMobile),
    customerEmail: absent(body, 'customerEmail') ? null : email(body, 'customerEmail', rules.customerEmail),
    notifyUrl: url(body, 'notifyUrl', { allowPrivate: options.allowPrivateNotify }),
    remark: optionalText(body, 'remark', rules.remark),
  };
}

export const PAYOUT_OPERATION: OperationDoc = {
  operationId: 'payout',
  tag: 'Payouts',
  summary: 'Pay out of the available balance to a Visa or Mastercard card',
  description:
    "Push to card. `tradeNo` is your payout id, unique among your payouts, with the same idempotency rule as checkout (same fields: the same payout; another value in any field: `8005`; identical requests racing make one payout). The amount plus your payout fee (fixed, set by the operator, default 0.00) is held from `availableAmount` when the payout is accepted, checked under a lock so that racing payouts never overdraw: above it, `8015`. `customerAccountType` must be `DebitCard`; `customerAccount` is the card number (Visa or Mastercard, Luhn-checked), kept sealed only until the acquirer acknowledged the payout. Status: `0000` SUCCESS, `00029` FAILED (the held money goes back to `availableAmount`), or `0015` PROCESSING while the acquirer's answer is not known (the gateway reconciles it; query it or wait for the `PAYOUT` notification).",
  request: PAYOUT_REQUEST,
  requestExamples: PAYOUT_REQUEST_EXAMPLES,
  data: PAYOUT_CREATED_SCHEMA,
  answerDescription: 'The payout, new or found again.',
  answerExamples: PAYOUT_ANSWER_EXAMPLES,
  callbacks: { payoutNotification: notificationCallback('Payout notification (the payout ended)', PAYOUT_NOTIFICATION) },
};
