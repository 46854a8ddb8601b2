import { BusinessCode } from '../../domain/errors.ts';
import { OrderState, OrderStatus } from '../../domain/order-status.ts';
import { envelopeError, envelopeOk, type Example } from '../wire-schema.ts';

// Real exchanges (PAYRAIL_ENV=development, simulator acquirer), trimmed to what each example shows.

export const NOTIFY_URL = 'http://127.0.0.1:41789/payrail/notify';

const ORDER_BODY = {
  tradeNo: 'ORDER-1001',
  amount: '300.00',
  currency: 'USD',
  mobile: '918234567890',
  email: 'buyer@example.com',
  userId: 'user-42',
  notifyUrl: NOTIFY_URL,
  returnUrl: 'https://shop.example/orders/ORDER-1001',
  remark: 'Two seats, row F',
};

const PAYMENT_URL = 'http://localhost:34321/checkout?data=a66e91a9b6f37d980b14cbfe8c94554ec28c5bff06b740abb71878ac2e92bca3';

const CREATED = {
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  tradeNo: 'ORDER-1001',
  status: OrderState.Created.status,
  desc: OrderState.Created.desc,
  remark: 'Two seats, row F',
  paymentUrl: PAYMENT_URL,
  paymentLink: PAYMENT_URL,
};

export const PAYMENT_NOTIFICATION = {
  notifyType: 'PAYMENT',
  status: OrderStatus.Paid,
  message: 'SUCCESS',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  tradeNo: 'ORDER-1001',
  amount: '300.00',
  currency: 'USD',
  remark: 'Two seats, row F',
  successTime: '2026-11-25 18:05:14',
  notifyId: 'fa184a2f0642a1e4dd9e8f19603da37b',
  timestamp: '1795629914860',
  sign: 'a3a1c48101edd035516016acc1669561',
};

export const CHECKOUT_REQUEST_EXAMPLES: Record<string, Example> = {
  create: { summary: 'A new order', value: { ...ORDER_BODY, timestamp: '1795629914442', sign: 'c5de565651827b64c6aad49edfe18c8a' } },
};

export const CHECKOUT_ANSWER_EXAMPLES: Record<string, Example> = {
  created: { summary: '0000 order created', value: envelopeOk(CREATED, 1795629914497) },
  duplicate: {
    summary: '8005 same tradeNo, another amount',
    value: envelopeError(BusinessCode.DuplicateReference, 'tradeNo ORDER-1001 was already used with different parameters', 1795629914550),
  },
  badEmail: { summary: '8002 a field breaks its rule', value: envelopeError(BusinessCode.ParameterInvalid, 'email must be an email address such as name@example.com', 1795629918766) },
  currency: { summary: '8006 currency other than USD', value: envelopeError(BusinessCode.CurrencyUnsupported, 'currency EUR is not supported; only USD', 1795629918797) },
  amount: {
    summary: '8007 amount with three decimals',
    value: envelopeError(BusinessCode.AmountInvalid, 'amount must have 1 to 9 digits and at most two decimals, such as "300.00"', 1795629918799),
  },
  url: { summary: '8013 notifyUrl not http(s)', value: envelopeError(BusinessCode.UrlNotAllowed, 'notifyUrl must be an absolute http or https URL', 1795629918820) },
};
