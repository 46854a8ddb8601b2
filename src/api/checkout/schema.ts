import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { parseAmount, formatAmount, type Cents } from '../../domain/money.ts';
import type { WireBody } from '../../domain/signature.ts';
import type { MerchantRow } from '../../store/merchants.ts';
import { TRADE_NO, currency, email, optionalText, required, text, url } from '../fields.ts';

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
}

/** Reads and checks the body of `POST /v1/checkout` against the merchant's limits. */
export function parseCreateCheckout(body: WireBody, merchant: MerchantRow, options: { allowPrivateNotify: boolean }): CreateCheckoutInput {
  const input: CreateCheckoutInput = {
    tradeNo: text(body, 'tradeNo', TRADE_NO),
    amount: parseAmount(required(body, 'amount')),
    currency: currency(body),
    mobile: text(body, 'mobile', { max: 16, pattern: /^\+?[0-9]{6,15}$/, hint: 'must be a country code and number, 6 to 15 digits, optionally after "+"' }),
    email: email(body, 'email'),
    userId: text(body, 'userId', { max: 64 }),
    notifyUrl: url(body, 'notifyUrl', { allowPrivate: options.allowPrivateNotify }),
    returnUrl: url(body, 'returnUrl'),
    remark: optionalText(body, 'remark', { max: 256 }),
  };
  if (input.amount < merchant.min_amount_cents || input.amount > merchant.max_amount_cents) {
    throw new PayrailError(
      BusinessCode.AmountInvalid,
      `amount must be between ${formatAmount(merchant.min_amount_cents)} and ${formatAmount(merchant.max_amount_cents)} for this merchant`,
    );
  }
  return input;
}
