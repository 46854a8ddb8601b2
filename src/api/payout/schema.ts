import { checkNumber, type CardBrand } from '../../domain/card.ts';
import { invalidParameter } from '../../domain/errors.ts';
import { parseAmount, type Cents } from '../../domain/money.ts';
import { secretPan } from '../../domain/card.ts';
import type { Secret } from '../../domain/secret.ts';
import type { WireBody } from '../../domain/signature.ts';
import { TRADE_NO, currency, email, optionalText, required, text, url } from '../fields.ts';

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

/** The only account type of the family that is a card. */
export const DEBIT_CARD = 'DebitCard';

const MOBILE = { max: 16, pattern: /^\+?[0-9]{6,15}$/, hint: 'must be a country code and number, 6 to 15 digits, optionally after "+"' };

/** Reads and checks the body of `POST /v1/payout` (API.md section 12). */
export function parsePayout(body: WireBody, options: { allowPrivateNotify: boolean }): PayoutInput {
  const tradeNo = text(body, 'tradeNo', TRADE_NO);
  const amount = parseAmount(required(body, 'amount'));
  const payoutCurrency = currency(body);
  const customerName = text(body, 'customerName', { max: 64 });
  const accountType = text(body, 'customerAccountType', { max: 32 });
  if (accountType !== DEBIT_CARD) throw invalidParameter('customerAccountType', `must be ${DEBIT_CARD}; ${accountType} is not supported`);
  const account = text(body, 'customerAccount', { max: 19, min: 12, pattern: /^[0-9]+$/, hint: 'must be the card number, digits only' });
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
    customerMobile: body.customerMobile === undefined || body.customerMobile === null || body.customerMobile === '' ? null : text(body, 'customerMobile', MOBILE),
    customerEmail: body.customerEmail === undefined || body.customerEmail === null || body.customerEmail === '' ? null : email(body, 'customerEmail'),
    notifyUrl: url(body, 'notifyUrl', { allowPrivate: options.allowPrivateNotify }),
    remark: optionalText(body, 'remark', { max: 256 }),
  };
}
