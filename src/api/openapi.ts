import type { StaticDocumentSpec } from '@fastify/swagger';
import { PayoutStatusCode } from '../domain/payout-status.ts';
import { BusinessCode, ERROR_CATALOGUE } from '../domain/errors.ts';
import { OrderState, OrderStatus, wireStatus } from '../domain/order-status.ts';
import { RefundStatus } from '../domain/refund-status.ts';
import { MAX_BODY_BYTES } from './plugin.ts';

/**
 * The OpenAPI 3 description of the merchant API, written by hand from the code (and from
 * docs/api.md, which says the same in prose). `GET /docs` shows it; `GET /docs/json` serves it.
 * test/api/openapi.test.ts checks that every /v1 route the app registers is described here, and
 * that every business code is.
 *
 * Every example is a real exchange with a gateway in test mode: merchant 4071457446 with app
 * secret `s3cr3t`, so each `sign` can be checked by hand.
 */
export type OpenApiDocument = Extract<StaticDocumentSpec['document'], { openapi: string }>;
type Operation = NonNullable<OpenApiDocument['paths'][string]>['post'] & object;
type Schema = NonNullable<NonNullable<OpenApiDocument['components']>['schemas']>[string];
type Example = { summary: string; value: unknown };
type Callback = NonNullable<Operation['callbacks']>[string];

const ref = (kind: 'schemas' | 'parameters' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

// In code order (an object's integer-like keys would put 0000 last).
const CODES = Object.values(BusinessCode).map((code) => [code, ERROR_CATALOGUE[code]] as const);

const codeTable = CODES.map(([code, { http, meaning }]) => `| \`${code}\` | ${http} | ${meaning} |`).join('\n');

const envelopeError = (code: BusinessCode, msg: string, timestamp: number) => ({ msg, code, timestamp, success: false, data: null });
const envelopeOk = (data: unknown, timestamp: number) => ({ msg: 'success', code: BusinessCode.Success, timestamp, success: true, data });
const PAYOUT_NOTIFICATION = {
  notifyType: 'PAYOUT',
  status: PayoutStatusCode.Paid,
  message: 'SUCCESS',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  tradeNo: 'PAYOUT-2001',
  amount: '150.00',
  currency: 'USD',
  remark: 'weekly payout',
  successTime: '2026-11-25 18:07:02',
  notifyId: '1c0e7d2a9b3f4e5d6c7b8a9f0e1d2c3b',
  timestamp: '1795630022150',
  sign: '3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b',
};

// ---------------------------------------------------------------------------------------------
// Real exchanges (PAYRAIL_ENV=development, simulator acquirer), trimmed to what each example shows.

const NOTIFY_URL = 'http://127.0.0.1:41789/payrail/notify';
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
const CREATED = {
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  status: OrderState.Created.status,
  desc: OrderState.Created.desc,
  remark: 'Two seats, row F',
  paymentUrl: 'http://localhost:34321/checkout?data=a66e91a9b6f37d980b14cbfe8c94554ec28c5bff06b740abb71878ac2e92bca3',
};
const ORDER_OPEN = {
  tradeNo: 'ORDER-1001',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  status: OrderState.Created.status,
  desc: OrderState.Created.desc,
  message: OrderState.Created.desc,
  amount: '300.00',
  orderAmount: '300.00',
  payAmount: '0.00',
  currency: 'USD',
  remark: 'Two seats, row F',
  createTime: '2026-11-25 18:05:14',
  successTime: null,
  cardBrand: null,
  cardLast4: null,
  refundedAmount: '0.00',
};
const ORDER_PAID = {
  ...ORDER_OPEN,
  status: OrderStatus.Paid,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  payAmount: '300.00',
  successTime: '2026-11-25 18:05:14',
  cardBrand: 'visa',
  cardLast4: '4242',
  refundedAmount: '100.00',
};
const ORDER_FAILED = {
  ...ORDER_OPEN,
  tradeNo: 'ORDER-1003',
  platFormTradeNo: 'camgqgz6sms2jbnv',
  status: OrderStatus.Failed,
  desc: 'FAILED: DO_NOT_HONOR',
  message: 'FAILED: DO_NOT_HONOR',
  createTime: '2026-11-25 18:05:18',
};
const ORDER_CLOSED = {
  ...ORDER_OPEN,
  tradeNo: 'ORDER-1001-2',
  platFormTradeNo: 'a2uz8twd322fb36w',
  status: OrderStatus.Closed,
  desc: 'CLOSED',
  message: 'CLOSED',
  remark: null,
  createTime: '2026-11-25 18:05:18',
};
/** The same closed order as a merchant with the default status set, `family`, is told it. */
const ORDER_CLOSED_FAMILY = { ...ORDER_CLOSED, status: wireStatus(ORDER_CLOSED.status, 'family') };
const REFUND = {
  refundNo: 'REFUND-1001-1',
  tradeNo: 'ORDER-1001',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  amount: '100.00',
  currency: 'USD',
  status: RefundStatus.Succeeded,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  reason: 'one seat returned',
  createTime: '2026-11-25 18:05:16',
  successTime: '2026-11-25 18:05:16',
  refundedAmount: '100.00',
};
const PAYOUT = {
  tradeNo: 'PAYOUT-2001',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  status: PayoutStatusCode.Paid,
  desc: 'SUCCESS',
  remark: 'weekly payout',
};
const PAYOUT_QUERIED = {
  tradeNo: 'PAYOUT-2001',
  platFormTradeNo: 'q8m2x0c4v7b1n5k9',
  orderAmount: '150.00',
  payAmount: '150.00',
  fee: '0.50',
  currency: 'USD',
  status: PayoutStatusCode.Paid,
  desc: 'SUCCESS',
  message: 'SUCCESS',
  remark: 'weekly payout',
  createTime: '2026-11-25 18:07:02',
  successTime: '2026-11-25 18:07:02',
  cardLast4: '4242',
};

const SHARED_ERRORS: Record<string, Example> = {
  signature: { summary: '8001 sign does not match', value: envelopeError('8001', 'sign does not match the request', 1795629918758) },
  header: { summary: '8002 merchantNo header malformed', value: envelopeError('8002', 'merchantNo header must be 10 digits', 1795629918787) },
  unknownMerchant: { summary: '8003 unknown merchant', value: envelopeError('8003', 'merchant 0000000001 is unknown', 1795629918793) },
  disabledMerchant: { summary: '8004 disabled merchant', value: envelopeError('8004', 'merchant 4071457448 is disabled', 1795629918855) },
  staleTimestamp: {
    summary: '8008 timestamp outside the window',
    value: envelopeError('8008', 'timestamp is more than 600 seconds away from the server clock', 1795629918806),
  },
  notJson: { summary: '8014 body is not JSON', value: envelopeError('8014', 'body is not valid JSON', 1795629918823) },
  wrongType: { summary: '8014 wrong content type', value: envelopeError('8014', 'Content-Type must be application/json', 1795629918827) },
};

// ---------------------------------------------------------------------------------------------
// Building blocks

/** The fields every signed request carries, besides its own. */
const signedFields: Record<string, Schema> = {
  timestamp: {
    description: 'Milliseconds since the epoch, as a JSON number or a numeric string; within `SIGN_WINDOW_SECONDS` (default 600) of the server clock, else `8008`.',
    oneOf: [{ type: 'string', pattern: '^[0-9]{1,16}$' }, { type: 'integer' }],
    example: '1795629914442',
  },
  sign: {
    type: 'string',
    description:
      'Lowercase hex MD5 of the sign string salted with the app secret (suffix or prefix, both accepted), or HMAC-SHA256 keyed with it when `signType` is `HMAC-SHA256`. See the description at the top.',
    pattern: '^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{64}$',
  },
  signType: { type: 'string', enum: ['MD5', 'HMAC-SHA256'], description: 'Optional; `MD5` when absent. Part of the sign string when present.' },
  merchantNo: { type: 'string', pattern: '^[0-9]{10}$', description: 'Optional; when present it must equal the `merchantNo` header, and it is signed.' },
};

const TRADE_NO: Schema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: "Your order number: 1–64 of `A-Z a-z 0-9 _ -`, unique per merchant.",
};
const PLAT_FORM_TRADE_NO: Schema = { type: 'string', pattern: '^[0-9a-z]{16}$', description: "The gateway's order id: 16 lowercase letters and digits." };
const AMOUNT: Schema = {
  type: 'string',
  pattern: '^[0-9]{1,9}(\\.[0-9]{1,2})?$',
  description: 'A JSON string: 1–9 digits with at most two decimals, more than zero (`8007` otherwise; a JSON number is `8007` too).',
  example: '300.00',
};
const MONEY: Schema = { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$', description: 'Two decimals.' };
const WIRE_TIME: Schema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$', description: '`yyyy-MM-dd HH:mm:ss`, UTC.' };
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });

/** A signed request body: the operation's own fields plus timestamp, sign, signType and merchantNo. */
const signedRequest = (properties: Record<string, Schema>, required: string[], description?: string): Schema => ({
  type: 'object',
  description,
  required: [...required, 'timestamp', 'sign'],
  properties: { ...properties, ...signedFields },
  additionalProperties: true,
});

/** The envelope with `data` of the given schema. */
const envelopeOf = (data: string): Schema => ({
  allOf: [ref('schemas', 'Envelope'), { type: 'object', properties: { data: { ...ref('schemas', data), nullable: true } as Schema } }],
});

const body = (schema: string, examples: Record<string, Example>) => ({
  required: true,
  content: { 'application/json': { schema: ref('schemas', schema), examples } },
});

/** HTTP 200 with the envelope: `0000` and data, or a business error and `data: null`. */
const answer = (data: string, description: string, examples: Record<string, Example>) => ({
  '200': {
    description: `${description} Business errors come with HTTP 200 too: read \`code\`.`,
    content: { 'application/json': { schema: envelopeOf(data), examples: { ...examples, ...SHARED_ERRORS } } },
  },
  '413': ref('responses', 'TooLarge'),
  '429': ref('responses', 'RateLimited'),
  '500': ref('responses', 'SystemError'),
});

const operation = (op: Operation & { operationId: string }): Operation => ({
  parameters: [ref('parameters', 'MerchantNo')],
  security: [],
  ...op,
});

/** The family's drop-in path for an operation: same request, same answer. */
const alias = (of: Operation & object, path: string, operationId: string): Operation => ({
  ...of,
  operationId,
  tags: ['Family aliases'],
  summary: `${of.summary} (family alias of ${path})`,
  description: `Answers exactly like \`POST ${path}\`, for any single path segment \`provider\`, so a client configured with a base URL such as \`https://pay.example/v1/acme\` keeps working.\n\n${of.description ?? ''}`,
  parameters: [ref('parameters', 'MerchantNo'), ref('parameters', 'Provider')],
});

// ---------------------------------------------------------------------------------------------
// Notifications (callbacks to notifyUrl)

const notificationCallback = (summary: string, example: Record<string, unknown>): Callback => ({
  '{$request.body#/notifyUrl}': {
    post: {
      summary,
      description:
        'The gateway POSTs this JSON (`Content-Type: application/json; charset=utf-8`, `User-Agent: Payrail-Notify/1`) to the order\'s `notifyUrl`. Verify `sign` like a request. Acknowledge with HTTP 2xx and a body of `OK` (or `success`; case and white space ignored). Anything else, a redirect, or no answer within `NOTIFY_TIMEOUT_MS` (10 s) is a failure, retried after 2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h (`NOTIFY_SCHEDULE`). Delivery is at least once: dedupe by `notifyId`.',
      requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'Notification'), example } } },
      responses: { '200': { description: 'Acknowledged: the body is `OK`.', content: { 'text/plain': { schema: { type: 'string', example: 'OK' } } } } },
    },
  },
});

const PAYMENT_NOTIFICATION = {
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
const REFUND_NOTIFICATION = {
  notifyType: 'REFUND',
  status: RefundStatus.Succeeded,
  message: 'SUCCESS',
  platFormTradeNo: '7zbnhv6xo47lyuo7',
  tradeNo: 'ORDER-1001',
  amount: '100.00',
  currency: 'USD',
  remark: 'Two seats, row F',
  successTime: '2026-11-25 18:05:16',
  refundNo: 'REFUND-1001-1',
  notifyId: '649a81c6baf1bb26951f90c11a2d3834',
  timestamp: '1795629916497',
  sign: 'df6da1f488f68885a86d55f37c555563',
};

// ---------------------------------------------------------------------------------------------
// Operations

const createCheckout = operation({
  operationId: 'createCheckout',
  tags: ['Checkout'],
  summary: 'Create a card checkout',
  description:
    'Creates an order and answers the `paymentUrl` of the hosted cashier page to send the customer to. Unknown extra fields are allowed: they are part of the sign and of the idempotency check, and otherwise ignored.\n\n**Idempotency.** The same `tradeNo` sent again with every field other than `timestamp`, `sign` and `signType` equal answers the same order (`0000`, same `platFormTradeNo` and `paymentUrl`, current status) for as long as the order exists; with any other field different it is refused with `8005`. Racing duplicates create one order.',
  requestBody: body('CreateCheckoutRequest', {
    create: { summary: 'A new order', value: { ...ORDER_BODY, timestamp: '1795629914442', sign: 'c5de565651827b64c6aad49edfe18c8a' } },
  }),
  responses: answer('CheckoutCreated', 'The order, new or found again.', {
    created: { summary: '0000 order created', value: envelopeOk(CREATED, 1795629914497) },
    duplicate: {
      summary: '8005 same tradeNo, another amount',
      value: envelopeError('8005', 'tradeNo ORDER-1001 was already used with different parameters', 1795629914550),
    },
    badEmail: { summary: '8002 a field breaks its rule', value: envelopeError('8002', 'email must be an email address such as name@example.com', 1795629918766) },
    currency: { summary: '8006 currency other than USD', value: envelopeError('8006', 'currency EUR is not supported; only USD', 1795629918797) },
    amount: {
      summary: '8007 amount with three decimals',
      value: envelopeError('8007', 'amount must have 1 to 9 digits and at most two decimals, such as "300.00"', 1795629918799),
    },
    url: { summary: '8013 notifyUrl not http(s)', value: envelopeError('8013', 'notifyUrl must be an absolute http or https URL', 1795629918820) },
  }),
  callbacks: { paymentNotification: notificationCallback('Payment notification (the order reached a final status)', PAYMENT_NOTIFICATION) },
});

const queryOrder = operation({
  operationId: 'queryOrder',
  tags: ['Checkout'],
  summary: 'Query one order',
  description:
    "By `tradeNo`, `platFormTradeNo`, or both (then they must name the same order, else `8000`). Neither: `8002`. Not found, or another merchant's: `8009`. The query is the source of truth: use it after a `5000`, when a notification is late, and before shipping on the strength of a redirect.",
  requestBody: body('QueryOrderRequest', {
    byTradeNo: { summary: 'By tradeNo', value: { tradeNo: 'ORDER-1001', timestamp: '1795629914552', sign: '044c731235c27055a08f7b41901ac101' } },
    byPlatFormTradeNo: { summary: 'By platFormTradeNo', value: { platFormTradeNo: '7zbnhv6xo47lyuo7', timestamp: '1795629916351', sign: 'd1200b211362d77206ca97ee514c0262' } },
  }),
  responses: answer('Order', 'The order.', {
    open: { summary: '0000 an open order', value: envelopeOk(ORDER_OPEN, 1795629914570) },
    paid: { summary: '0000 a paid order, partly refunded', value: envelopeOk(ORDER_PAID, 1795629917102) },
    failed: { summary: '0000 an order whose attempts are used up', value: envelopeOk(ORDER_FAILED, 1795629919092) },
    notFound: { summary: '8009 no such order', value: envelopeError('8009', 'order ORDER-1001-none not found', 1795629918809) },
    mismatch: {
      summary: '8000 the two references name different orders',
      value: envelopeError('8000', 'tradeNo ORDER-1001 and platFormTradeNo a2uz8twd322fb36w name different orders', 1795629918842),
    },
  }),
});

const closeOrder = operation({
  operationId: 'closeOrder',
  tags: ['Checkout'],
  summary: 'Close an unpaid order',
  description:
    'Only an unpaid order with no payment under way (`0015` / `CREATED`) can be closed; it becomes `CLOSED` (status `00029` for a merchant with the `family` status set, `00031` for `extended`), its payment page answers 410 from then on, and a `PAYMENT` notification with that status is queued. Closing a closed order again answers `0000`. Any other state: `8010`. Unknown order: `8009`.',
  requestBody: body('CloseOrderRequest', {
    close: { summary: 'Close by tradeNo', value: { tradeNo: 'ORDER-1001-2', timestamp: '1795629918729', sign: '516248e2662338863d1551167ce6394b' } },
  }),
  responses: answer('Order', 'The closed order, as the query answers it.', {
    closedFamily: { summary: '0000 closed, family status set (the default): 00029 with desc CLOSED', value: envelopeOk(ORDER_CLOSED_FAMILY, 1795629918736) },
    closed: { summary: '0000 closed, extended status set: 00031', value: envelopeOk(ORDER_CLOSED, 1795629918736) },
    paid: {
      summary: '8010 the order is paid',
      value: envelopeError('8010', 'order ORDER-1001 cannot be closed: only an unpaid order with no payment under way can be', 1795629916385),
    },
  }),
});

const refund = operation({
  operationId: 'refund',
  tags: ['Refunds'],
  summary: 'Refund a paid order, fully or partly',
  description:
    "Names the order by `tradeNo` or `platFormTradeNo`. `refundNo` is your refund id, unique per merchant, with the same idempotency rule as `tradeNo` (same fields: the same refund; other fields: `8005`). Only a paid order (`8010`); the refunds that have not failed can never add up to more than the paid amount (`8011`), checked under the order's lock. The answer carries the refund's status: `0000` SUCCESS, `00029` FAILED, or `0015` PROCESSING when the acquirer's answer is not known yet (the gateway reconciles it; query it or wait for the `REFUND` notification). The order's `status` does not change; its `refundedAmount` does. The customer gets a receipt email when a refund succeeds.",
  requestBody: body('RefundRequest', {
    partial: {
      summary: 'Refund 100.00 of a 300.00 order',
      value: { tradeNo: 'ORDER-1001', refundNo: 'REFUND-1001-1', amount: '100.00', reason: 'one seat returned', timestamp: '1795629916401', sign: '08c31e07bbc29ca134c2856874b4168c' },
    },
  }),
  responses: answer('Refund', 'The refund, new or found again.', {
    succeeded: { summary: '0000 refund succeeded', value: envelopeOk(REFUND, 1795629916481) },
    duplicate: { summary: '8005 refundNo reused with another amount', value: envelopeError('8005', 'refundNo REFUND-1001-1 was already used with different parameters', 1795629916541) },
    tooMuch: { summary: '8011 more than is refundable', value: envelopeError('8011', 'amount exceeds the refundable 200.00', 1795629916575) },
    notPaid: { summary: '8010 the order is not paid', value: envelopeError('8010', 'order ORDER-1001-2 is not paid, so it cannot be refunded', 1795629918719) },
  }),
  callbacks: { refundNotification: notificationCallback('Refund notification (the refund ended)', REFUND_NOTIFICATION) },
});

const queryRefund = operation({
  operationId: 'queryRefund',
  tags: ['Refunds'],
  summary: 'Query one refund',
  description: 'By your `refundNo`. Unknown (or another merchant\'s): `8009`.',
  requestBody: body('QueryRefundRequest', {
    query: { summary: 'By refundNo', value: { refundNo: 'REFUND-1001-1', timestamp: '1795629917077', sign: '2b23920c95e3051152ea358c314494e7' } },
  }),
  responses: answer('Refund', 'The refund.', {
    found: { summary: '0000 the refund', value: envelopeOk(REFUND, 1795629917086) },
    notFound: { summary: '8009 no such refund', value: envelopeError('8009', 'refund REFUND-1001-none not found', 1795629917090) },
  }),
});

const balance = operation({
  operationId: 'balance',
  tags: ['Balance'],
  summary: "The merchant's balances",
  description:
    "Summed from the double-entry ledger. A payment credits `unsettledAmount` with the amount less the merchant's fee (default 290 basis points); settlement, `SETTLEMENT_DELAY_HOURS` (default 24, T+1) after payment, moves it to `availableAmount`; a successful refund debits its full amount from unsettled (before settlement) or available (after). `freezeAmount` is held money; nothing posts to it yet, so it is `0.00`.",
  requestBody: body('BalanceRequest', {
    balance: { summary: 'No fields of its own', value: { timestamp: '1795629917104', sign: '144866347378864b6bad1aade935138c' } },
  }),
  responses: answer('Balance', 'The balances.', {
    balance: {
      summary: '0000 after a 300.00 payment (fee 8.70) and a 100.00 refund, before settlement',
      value: envelopeOk({ availableAmount: '0.00', unsettledAmount: '191.30', freezeAmount: '0.00', currency: 'USD' }, 1795629917126),
    },
    rateLimited: { summary: '8012 over the rate limit (HTTP 429)', value: envelopeError('8012', 'rate limit of 1 requests per second exceeded', 1795629918886) },
  }),
});

const payout = operation({
  operationId: 'payout',
  tags: ['Payouts'],
  summary: 'Pay out of the available balance to a Visa or Mastercard card',
  description:
    "Push to card (API.md section 12). `tradeNo` is your payout id, unique among your payouts, with the same idempotency rule as checkout (same fields: the same payout; another value in any field: `8005`; identical requests racing make one payout). The amount plus your payout fee (fixed, set by the operator, default 0.00) is held from `availableAmount` when the payout is accepted, checked under a lock so that racing payouts never overdraw: above it, `8015`. `customerAccountType` must be `DebitCard`; `customerAccount` is the card number (Visa or Mastercard, Luhn-checked), kept sealed only until the acquirer acknowledged the payout. Status: `0000` SUCCESS, `00029` FAILED (the held money goes back to `availableAmount`), or `0015` PROCESSING while the acquirer's answer is not known (the gateway reconciles it; query it or wait for the `PAYOUT` notification).",
  requestBody: body('PayoutRequest', {
    payout: {
      summary: 'Pay 150.00 to a Visa card',
      value: {
        tradeNo: 'PAYOUT-2001',
        amount: '150.00',
        currency: 'USD',
        customerName: 'Grace Hopper',
        customerAccountType: 'DebitCard',
        customerAccount: '4242424242424242',
        notifyUrl: 'https://merchant.example/payout-notify',
        remark: 'weekly payout',
        timestamp: '1795630022001',
        sign: '5d2c3f1b0a9e8d7c6b5a493827160f1e',
      },
    },
  }),
  responses: answer('PayoutCreated', 'The payout, new or found again.', {
    paid: { summary: '0000 paid', value: envelopeOk(PAYOUT, 1795630022101) },
    failed: { summary: '0000 accepted, the card refused it', value: envelopeOk({ ...PAYOUT, status: PayoutStatusCode.Failed, desc: 'FAILED: DO_NOT_HONOR' }, 1795630022201) },
    insufficient: {
      summary: '8015 amount and fee above the available balance',
      value: envelopeError('8015', 'amount 150.00 plus the payout fee 0.50 exceeds the available balance 100.00', 1795630022301),
    },
    accountType: { summary: '8002 not a card', value: envelopeError('8002', 'customerAccountType must be DebitCard; BankAccount is not supported', 1795630022401) },
    duplicate: { summary: '8005 tradeNo reused with another amount', value: envelopeError('8005', 'tradeNo PAYOUT-2001 was already used with different parameters', 1795630022501) },
  }),
  callbacks: { payoutNotification: notificationCallback('Payout notification (the payout ended)', PAYOUT_NOTIFICATION) },
});

const queryPayout = operation({
  operationId: 'queryPayout',
  tags: ['Payouts'],
  summary: 'Query one payout',
  description: "By your `tradeNo` or the gateway's `platFormTradeNo`. Unknown (or another merchant's): `8009`.",
  requestBody: body('QueryPayoutRequest', {
    query: { summary: 'By tradeNo', value: { tradeNo: 'PAYOUT-2001', timestamp: '1795630023001', sign: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' } },
  }),
  responses: answer('Payout', 'The payout.', {
    found: { summary: '0000 the payout', value: envelopeOk(PAYOUT_QUERIED, 1795630023101) },
    notFound: { summary: '8009 no such payout', value: envelopeError('8009', 'payout PAYOUT-none not found', 1795630023201) },
  }),
});

const notifyResend = operation({
  operationId: 'notifyResend',
  tags: ['Notifications'],
  summary: "Queue an order's latest notification again",
  description:
    "Queues the order's latest notification (a `PAYMENT` one, or a `REFUND` one if a refund ended since) again, even one already acknowledged, with a fresh retry schedule and the same `notifyId`; its earlier attempts stay recorded. Answers the `notifyId`. Unknown order: `8009`. An order with no notification yet (still open): `8010`. The CLI equivalent is `payrail notify resend TRADE_NO --merchant NO`.",
  requestBody: body('NotifyResendRequest', {
    resend: { summary: 'By tradeNo', value: { tradeNo: 'ORDER-1001', timestamp: '1795629918639', sign: '0a9561d8e7348e56c2fabb30c2775991' } },
  }),
  responses: answer('NotifyResent', 'The notification queued.', {
    queued: {
      summary: '0000 queued (here the REFUND notification, the latest)',
      value: envelopeOk({ tradeNo: 'ORDER-1001', platFormTradeNo: '7zbnhv6xo47lyuo7', notifyId: '649a81c6baf1bb26951f90c11a2d3834' }, 1795629918654),
    },
    noNotification: { summary: '8010 the order has no notification yet', value: envelopeError('8010', 'order ORDER-1001-2 has no notification yet', 1795629918713) },
    notFound: { summary: '8009 no such order', value: envelopeError('8009', 'order ORDER-1001-none not found', 1795629918679) },
  }),
});

const notifyListen = operation({
  operationId: 'notifyListen',
  tags: ['Notifications'],
  summary: "Long-poll the merchant's notifications (payrail listen)",
  description:
    "For `payrail listen --forward-to URL`: answers the merchant's notifications queued after `cursor` (without one: after the call arrives), oldest first, at most 50, each built and signed exactly as it is POSTed to the order's `notifyUrl`, and the `cursor` to send next. When there is none yet it waits up to `waitSeconds` (0 to 25, default 20) and answers an empty list. Delivery to `notifyUrl` is not affected, and a resend (which reuses a notification) is not a new one here.",
  requestBody: body('NotifyListenRequest', {
    listen: {
      summary: 'Continue after the last notification seen',
      value: { cursor: '1795629918000123.649a81c6baf1bb26951f90c11a2d3834', waitSeconds: '20', timestamp: '1795629918700', sign: '72e5d091dcaa93cd240e5056f86d8709' },
    },
  }),
  responses: answer('NotifyListened', 'The notifications, possibly none, and the next cursor.', {
    none: { summary: '0000 nothing new within waitSeconds', value: envelopeOk({ cursor: '1795629918000123.649a81c6baf1bb26951f90c11a2d3834', notifications: [] }, 1795629938720) },
  }),
});

// ---------------------------------------------------------------------------------------------
// The document

const DESCRIPTION = `The API a merchant's server calls. Every call is \`POST\` with \`Content-Type: application/json\`, a UTF-8 JSON **object** of at most ${MAX_BODY_BYTES} bytes, the merchant named by the **\`merchantNo\` header** (10 digits), and a \`sign\` field in the body.

**Sign.** Take every top-level field except \`sign\`; leave out \`null\` and \`""\`; sort the keys by UTF-16 code units (uppercase before lowercase); concatenate \`key=value\` with no separator, each value as written in the JSON (strings unescaped, numbers as written); append the app secret (or prepend it: both are accepted) and take the lowercase hex MD5 of the UTF-8 bytes. With \`"signType": "HMAC-SHA256"\`, \`sign\` is the HMAC-SHA256 of the sign string keyed with the app secret. Objects, arrays and control characters in signed values are \`8002\`. Test vector, secret \`s3cr3t\`: body \`{"b":"2","a":"1","sign":"x","c":""}\` → sign string \`a=1b=2\` → \`2b23dcb025e26406f99343498b21fdd6\` (suffix) or \`1c52b3e6c1b41b23c0906bc0a597fc78\` (prefix).

**Envelope.** Every answer is \`{ "msg", "code", "timestamp", "success", "data" }\`. \`code\` says whether *this request* was accepted; the order's state is \`data.status\`. On an error \`success\` is \`false\` and \`data\` is \`null\`. Business errors travel with HTTP 200; only \`5000\` (500), \`8012\` (429), an oversized body (\`8014\`, 413), an unknown path (404) and a wrong method (405) use another status.

Checks run in this order, the first failure answers: body is a JSON object (\`8014\`) → \`merchantNo\` header (\`8002\`) → merchant exists (\`8003\`) → merchant enabled (\`8004\`) → \`timestamp\` (\`8002\`, \`8008\`) → \`sign\` (\`8001\`) → rate limit (\`8012\`, signed requests only) → the operation's fields.

| code | HTTP | meaning |
| --- | --- | --- |
${codeTable}

**Order status** (\`data.status\` / \`desc\`): \`0015\` CREATED or PROCESSING (open) · \`0000\` SUCCESS · \`00029\` FAILED: <reason> (attempts used up) · \`00030\` EXPIRED · \`00031\` CLOSED. Final statuses never change. **Refund status:** \`0015\` PROCESSING · \`0000\` SUCCESS · \`00029\` FAILED: <reason>.

**Status set per merchant.** Each merchant has one, chosen by the operator (\`payrail merchant create|update --status-set\`, or the dashboard). \`family\` (the default) uses only the family's statuses \`0000\`, \`0001\`, \`0015\` and \`00029\`: an expired order is \`00029\` with \`desc\` \`EXPIRED\`, a closed one \`00029\` with \`CLOSED\`, a failed one \`00029\` with \`FAILED: <reason>\`, in every answer, notification and return URL. \`extended\` answers expired as \`00030\` and closed as \`00031\`. Example, the same closed order: a family merchant is told \`status\` \`00029\` with \`desc\` \`CLOSED\`, an extended one \`00031\` with \`CLOSED\` (see the two examples of closeOrder).

Every example below was captured from a running gateway, merchant \`4071457446\` with app secret \`s3cr3t\`, so each \`sign\` can be checked by hand. The merchant integration guide (docs/api.md in the repository) says all of this at length, with the test cards.`;

export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Payrail merchant API',
    version: '1',
    description: DESCRIPTION,
    license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
  },
  servers: [{ url: '/', description: 'this gateway' }],
  tags: [
    { name: 'Checkout', description: 'Create, query and close orders.' },
    { name: 'Refunds', description: 'Give money back on a paid order.' },
    { name: 'Balance', description: 'What the gateway owes the merchant.' },
    { name: 'Payouts', description: 'Pay out of the available balance to a card.' },
    { name: 'Notifications', description: 'The asynchronous notifications to `notifyUrl`.' },
    { name: 'Family aliases', description: 'The provider family\'s paths, for clients that append them to a base URL.' },
  ],
  paths: {
    '/v1/checkout': { post: createCheckout },
    '/v1/checkout/query': { post: queryOrder },
    '/v1/checkout/close': { post: closeOrder },
    '/v1/refund': { post: refund },
    '/v1/refund/query': { post: queryRefund },
    '/v1/balance': { post: balance },
    '/v1/notify/resend': { post: notifyResend },
    '/v1/notify/listen': { post: notifyListen },
    '/v1/{provider}/checkout': { post: alias(createCheckout, '/v1/checkout', 'createCheckoutAlias') },
    '/v1/{provider}/queryPayInResult': { post: alias(queryOrder, '/v1/checkout/query', 'queryOrderAlias') },
    '/v1/{provider}/queryBalance': { post: alias(balance, '/v1/balance', 'balanceAlias') },
    '/v1/payout': { post: payout },
    '/v1/payout/query': { post: queryPayout },
    '/v1/{provider}/payOut': { post: alias(payout, '/v1/payout', 'payOutAlias') },
    '/v1/{provider}/payout': { post: alias(payout, '/v1/payout', 'payoutAlias') },
    '/v1/{provider}/disbursements': { post: alias(payout, '/v1/payout', 'disbursementsAlias') },
    '/v1/{provider}/queryPayOutResult': { post: alias(queryPayout, '/v1/payout/query', 'queryPayOutResultAlias') },
  },
  components: {
    parameters: {
      MerchantNo: {
        name: 'merchantNo',
        in: 'header',
        required: true,
        description: 'Your merchant number. Missing or not 10 digits: `8002`; unknown: `8003`.',
        schema: { type: 'string', pattern: '^[0-9]{10}$', example: '4071457446' },
      },
      Provider: {
        name: 'provider',
        in: 'path',
        required: true,
        description: 'Any single path segment (the provider name your client was built for).',
        schema: { type: 'string', example: 'acme' },
      },
    },
    responses: {
      TooLarge: {
        description: `Body over ${MAX_BODY_BYTES} bytes: \`8014\`.`,
        content: { 'application/json': { schema: ref('schemas', 'Envelope'), example: envelopeError('8014', 'body is larger than 16384 bytes', 1795629918834) } },
      },
      RateLimited: {
        description: "Over the merchant's requests per second (default 1000): `8012`. Wait a second and send again.",
        content: { 'application/json': { schema: ref('schemas', 'Envelope'), example: envelopeError('8012', 'rate limit of 1 requests per second exceeded', 1795629918886) } },
      },
      SystemError: {
        description: "The gateway failed: `5000`. The order's state is unknown to you; query it before trying again (a repeated create with the same fields is safe).",
        content: {
          'application/json': {
            schema: ref('schemas', 'Envelope'),
            example: envelopeError('5000', 'system error; the state of the order is unknown, query it', 1795629918900),
          },
        },
      },
    },
    schemas: {
      BusinessCode: {
        type: 'string',
        enum: CODES.map(([code]) => code),
        description: `Whether the request was accepted.\n\n${CODES
          .map(([code, { http, meaning }]) => `- \`${code}\`: ${meaning}${http === 200 ? '' : ` (HTTP ${http})`}`)
          .join('\n')}`,
      },
      Envelope: {
        type: 'object',
        required: ['msg', 'code', 'timestamp', 'success', 'data'],
        properties: {
          msg: { type: 'string', description: '`success`, or a sentence naming the field or rule that failed.' },
          code: ref('schemas', 'BusinessCode'),
          timestamp: { type: 'integer', description: "The gateway's clock, milliseconds." },
          success: { type: 'boolean', description: '`true` exactly when `code` is `0000`.' },
          data: { type: 'object', nullable: true, description: '`null` on every error.' },
        },
      },
      CreateCheckoutRequest: signedRequest(
        {
          tradeNo: TRADE_NO,
          amount: { ...AMOUNT, description: `${AMOUNT.description} Within the merchant's limits (by default 0.01 to 999999999.99), else \`8007\`.` },
          currency: { type: 'string', enum: ['USD'], description: 'Only `USD` (`8006` otherwise).' },
          mobile: { type: 'string', pattern: '^\\+?[0-9]{6,15}$', description: 'Country code and number, 6–15 digits, optionally after `+`.' },
          email: { type: 'string', maxLength: 254, description: "The customer's email address; the receipt goes there." },
          userId: { type: 'string', minLength: 1, maxLength: 64, description: 'Your customer id, 1–64 characters.' },
          notifyUrl: {
            type: 'string',
            maxLength: 512,
            format: 'uri',
            description:
              'Absolute `http`/`https` URL, at most 512 characters, no credentials (`8013`). With `NOTIFY_ALLOW_PRIVATE=false` (the production default) a literal private or loopback address is refused too.',
          },
          returnUrl: { type: 'string', maxLength: 512, format: 'uri', description: 'Absolute `http`/`https` URL, at most 512 characters; where the customer goes after paying, with a signed query: `tradeNo`, `platFormTradeNo`, `status`, `timestamp` (and `signType` for HMAC-SHA256) and `sign` are appended; only those appended parameters are signed, a query already in the URL is kept but not signed (e.g. `https://shop.example/back?session=abc` comes back as `…?session=abc&tradeNo=…&sign=…`, signed over `platFormTradeNo…status…timestamp…tradeNo…` only).' },
          remark: { type: 'string', maxLength: 256, description: 'Optional, at most 256 characters, returned as is everywhere.' },
        },
        ['tradeNo', 'amount', 'currency', 'mobile', 'email', 'userId', 'notifyUrl', 'returnUrl'],
        'Field lengths count characters. A broken rule is `8002` naming the field unless a field says otherwise.',
      ),
      CheckoutCreated: {
        type: 'object',
        properties: {
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          status: { type: 'string', description: 'The order\'s current status; `0015` for a new order.' },
          desc: { type: 'string', description: '`CREATED` for a new order.' },
          remark: nullable({ type: 'string' }),
          paymentUrl: { type: 'string', description: '`<PUBLIC_URL>/checkout?data=<token>`: the hosted cashier page. The token is 256 random bits in hex; the page answers 410 once the order is final.' },
        },
      },
      QueryOrderRequest: signedRequest({ tradeNo: TRADE_NO, platFormTradeNo: PLAT_FORM_TRADE_NO }, [], 'One of `tradeNo` and `platFormTradeNo` is required.'),
      CloseOrderRequest: signedRequest({ tradeNo: TRADE_NO }, ['tradeNo']),
      Order: {
        type: 'object',
        properties: {
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          status: {
            type: 'string',
            enum: Object.values(OrderStatus),
            description: 'In the merchant\'s status set: `family` (the default) never answers `00030` or `00031` (expired and closed orders are `00029`, told apart by `desc`); `extended` does.',
          },
          desc: { type: 'string', description: '`CREATED`, `PROCESSING`, `SUCCESS`, `FAILED: <reason>`, `EXPIRED` or `CLOSED`.' },
          message: { type: 'string', description: 'The same as `desc` (the family\'s name for it).' },
          amount: MONEY,
          orderAmount: MONEY,
          payAmount: { ...MONEY, description: 'The order amount once paid, `0.00` before.' },
          currency: { type: 'string', enum: ['USD'] },
          remark: nullable({ type: 'string' }),
          createTime: WIRE_TIME,
          successTime: nullable({ ...WIRE_TIME, description: 'When it was paid; `null` until then.' }),
          cardBrand: nullable({ type: 'string', enum: ['visa', 'mastercard'], description: 'The card that paid; `null` until paid.' }),
          cardLast4: nullable({ type: 'string', pattern: '^[0-9]{4}$' }),
          refundedAmount: { ...MONEY, description: 'Sum of the successful refunds.' },
        },
      },
      RefundRequest: signedRequest(
        {
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          refundNo: { ...TRADE_NO, description: 'Your refund id: 1–64 of `A-Z a-z 0-9 _ -`, unique per merchant.' },
          amount: AMOUNT,
          reason: { type: 'string', maxLength: 256, description: 'Optional, at most 256 characters.' },
        },
        ['refundNo', 'amount'],
        'One of `tradeNo` and `platFormTradeNo` is required.',
      ),
      QueryRefundRequest: signedRequest({ refundNo: TRADE_NO }, ['refundNo']),
      Refund: {
        type: 'object',
        properties: {
          refundNo: TRADE_NO,
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          amount: MONEY,
          currency: { type: 'string', enum: ['USD'] },
          status: { type: 'string', enum: Object.values(RefundStatus), description: '`0015` PROCESSING, `0000` SUCCESS, `00029` FAILED.' },
          desc: { type: 'string', description: '`PROCESSING`, `SUCCESS` or `FAILED: <reason>`.' },
          message: { type: 'string', description: 'The same as `desc`.' },
          reason: nullable({ type: 'string' }),
          createTime: WIRE_TIME,
          successTime: nullable(WIRE_TIME),
          refundedAmount: { ...MONEY, description: "The order's successful refunds so far, this one included once it succeeded." },
        },
      },
      BalanceRequest: signedRequest({}, []),
      Balance: {
        type: 'object',
        properties: {
          availableAmount: { ...MONEY, description: 'Settled: can be paid out.' },
          unsettledAmount: { ...MONEY, description: 'Paid, less fees and refunds, not settled yet.' },
          freezeAmount: { ...MONEY, description: 'Held (nothing is held yet: always `0.00`).' },
          currency: { type: 'string', enum: ['USD'] },
        },
      },
      PayoutRequest: signedRequest(
        {
          tradeNo: { ...TRADE_NO, description: 'Your payout id: 1–64 of `A-Z a-z 0-9 _ -`, unique among your payouts.' },
          amount: { ...AMOUNT, description: `${AMOUNT.description} With your payout fee, at most \`availableAmount\` (\`8015\`).` },
          currency: { type: 'string', enum: ['USD'], description: 'Only `USD` (`8006` otherwise).' },
          customerName: { type: 'string', minLength: 1, maxLength: 64, description: 'The name of the person paid.' },
          customerAccountType: { type: 'string', enum: ['DebitCard'], description: 'Only `DebitCard`; any other type is `8002`.' },
          customerAccount: { type: 'string', pattern: '^[0-9]{12,19}$', description: 'The card number, digits only: Visa or Mastercard, passing the Luhn check (`8002`).' },
          customerMobile: { type: 'string', pattern: '^\\+?[0-9]{6,15}$', description: 'Optional.' },
          customerEmail: { type: 'string', maxLength: 254, description: 'Optional.' },
          notifyUrl: { type: 'string', maxLength: 512, format: 'uri', description: 'Absolute `http`/`https` URL; the `PAYOUT` notification goes there (`8013`).' },
          remark: { type: 'string', maxLength: 256, description: 'Optional, at most 256 characters, returned as is.' },
        },
        ['tradeNo', 'amount', 'currency', 'customerName', 'customerAccountType', 'customerAccount', 'notifyUrl'],
      ),
      PayoutCreated: {
        type: 'object',
        properties: {
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          status: { type: 'string', enum: Object.values(PayoutStatusCode), description: '`0015` PROCESSING, `0000` SUCCESS, `00029` FAILED.' },
          desc: { type: 'string', description: '`PROCESSING`, `SUCCESS` or `FAILED: <reason>`.' },
          remark: nullable({ type: 'string' }),
        },
      },
      QueryPayoutRequest: signedRequest({ tradeNo: TRADE_NO, platFormTradeNo: PLAT_FORM_TRADE_NO }, [], 'One of `tradeNo` and `platFormTradeNo` is required.'),
      Payout: {
        type: 'object',
        properties: {
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          orderAmount: { ...MONEY, description: 'The payout amount.' },
          payAmount: { ...MONEY, description: 'What the card receives: the payout amount.' },
          fee: { ...MONEY, description: 'Your payout fee, held and taken besides the amount.' },
          currency: { type: 'string', enum: ['USD'] },
          status: { type: 'string', enum: Object.values(PayoutStatusCode) },
          desc: { type: 'string' },
          message: { type: 'string', description: 'The same as `desc`.' },
          remark: nullable({ type: 'string' }),
          createTime: WIRE_TIME,
          successTime: nullable({ ...WIRE_TIME, description: 'When paid; `null` until then.' }),
          cardLast4: { type: 'string', pattern: '^[0-9]{4}$' },
        },
      },
      NotifyResendRequest: signedRequest({ tradeNo: TRADE_NO }, ['tradeNo']),
      NotifyListenRequest: signedRequest(
        {
          cursor: { type: 'string', description: 'The `cursor` of the previous answer; leave it out on the first call.' },
          waitSeconds: { type: 'string', pattern: '^[0-9]{1,2}$', description: 'How long to wait for a first notification, 0 to 25 (default 20).' },
        },
        [],
      ),
      NotifyListened: {
        type: 'object',
        properties: {
          cursor: { type: 'string', description: 'Send it as `cursor` in the next call.' },
          notifications: { type: 'array', items: ref('schemas', 'Notification') },
        },
      },
      NotifyResent: {
        type: 'object',
        properties: {
          tradeNo: TRADE_NO,
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          notifyId: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'The notification queued again.' },
        },
      },
      Notification: {
        type: 'object',
        description: 'Every value is a string. `sign` covers all the other fields, with the merchant\'s salt placement and the sign type it last used.',
        required: ['notifyType', 'status', 'message', 'platFormTradeNo', 'tradeNo', 'amount', 'currency', 'notifyId', 'timestamp', 'sign'],
        properties: {
          notifyType: { type: 'string', enum: ['PAYMENT', 'REFUND', 'PAYOUT'] },
          status: { type: 'string', description: 'The order\'s final status in the merchant\'s status set (family: `0000`, `00029`; extended: also `00030`, `00031`), for a refund the refund\'s (`0000`, `00029`), for a payout the payout\'s (`0000`, `00029`).' },
          message: { type: 'string', description: 'The status\'s `desc`.' },
          platFormTradeNo: PLAT_FORM_TRADE_NO,
          tradeNo: TRADE_NO,
          amount: { ...MONEY, description: 'The order amount (for a refund, the refund amount).' },
          currency: { type: 'string', enum: ['USD'] },
          remark: { type: 'string', description: 'When set at creation.' },
          successTime: { ...WIRE_TIME, description: 'When paid (for a refund, when it succeeded).' },
          refundNo: { type: 'string', description: 'Refund notifications only.' },
          notifyId: { type: 'string', description: 'Unique per event, the same on every retry and resend: dedupe by it.' },
          timestamp: { type: 'string', description: 'Milliseconds, fresh at each attempt.' },
          signType: { type: 'string', enum: ['HMAC-SHA256'], description: 'Only when the merchant last signed with HMAC-SHA256.' },
          sign: { type: 'string' },
        },
      },
    },
  },
};
