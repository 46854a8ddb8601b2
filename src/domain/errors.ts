/**
 * The closed set of business codes of the merchant API (docs/api.md, "Business codes").
 * Every failure inside the gateway is a `PayrailError` carrying one of these; the API edge
 * turns it into the response envelope in exactly one place (src/api/envelope.ts), with the
 * HTTP status of ERROR_CATALOGUE below.
 */
export const BusinessCode = {
  /** Request accepted. */
  Success: '0000',
  /** Our own fault; the order's state is unknown to the caller, who should query it. */
  SystemError: '5000',
  /** Generic order error. */
  OrderError: '8000',
  SignatureInvalid: '8001',
  /** A parameter is missing or invalid; the message names it. */
  ParameterInvalid: '8002',
  MerchantUnknown: '8003',
  MerchantDisabled: '8004',
  /** `tradeNo` or `refundNo` reused with different parameters. */
  DuplicateReference: '8005',
  CurrencyUnsupported: '8006',
  AmountInvalid: '8007',
  TimestampOutsideWindow: '8008',
  NotFound: '8009',
  StateForbidsOperation: '8010',
  RefundExceedsRefundable: '8011',
  RateLimited: '8012',
  UrlNotAllowed: '8013',
  BodyMalformed: '8014',
  /** A payout's amount plus the merchant's payout fee exceeds the available balance. */
  InsufficientBalance: '8015',
  /** None of the merchant's acquirers pays out to cards: the payout is refused before anything is held. */
  PayoutUnavailable: '8016',
} as const;

export type BusinessCode = (typeof BusinessCode)[keyof typeof BusinessCode];

export interface CodeEntry {
  /** The HTTP status the envelope travels with. Business errors travel with 200, as the provider family does. */
  readonly http: number;
  /** What the code means, as docs/api.md and the OpenAPI document say it. */
  readonly meaning: string;
}

/**
 * The one record from business code to HTTP status and meaning: the envelope, the OpenAPI
 * document and the docs check (errors.test.ts, against docs/api.md) all read it. Transport faults
 * that are not a business code's own (an oversized body: 8014 with 413; 404; 405) are set where
 * they happen, in src/api/plugin.ts.
 */
export const ERROR_CATALOGUE: Readonly<Record<BusinessCode, CodeEntry>> = {
  [BusinessCode.Success]: { http: 200, meaning: 'success' },
  [BusinessCode.SystemError]: { http: 500, meaning: 'system error: the gateway failed, and the state of the order is unknown to you' },
  [BusinessCode.OrderError]: { http: 200, meaning: 'order error (generic)' },
  [BusinessCode.SignatureInvalid]: { http: 200, meaning: 'signature invalid' },
  [BusinessCode.ParameterInvalid]: { http: 200, meaning: 'parameter missing or invalid; `msg` names it' },
  [BusinessCode.MerchantUnknown]: { http: 200, meaning: 'merchant unknown' },
  [BusinessCode.MerchantDisabled]: { http: 200, meaning: 'merchant disabled' },
  [BusinessCode.DuplicateReference]: { http: 200, meaning: '`tradeNo` (or `refundNo`) already used with different parameters' },
  [BusinessCode.CurrencyUnsupported]: { http: 200, meaning: 'currency not supported' },
  [BusinessCode.AmountInvalid]: { http: 200, meaning: "amount invalid or outside the merchant's limits" },
  [BusinessCode.TimestampOutsideWindow]: { http: 200, meaning: 'timestamp outside the allowed window' },
  [BusinessCode.NotFound]: { http: 200, meaning: 'order (or refund) not found' },
  [BusinessCode.StateForbidsOperation]: { http: 200, meaning: "the order's state does not allow this operation" },
  [BusinessCode.RefundExceedsRefundable]: { http: 200, meaning: 'refund amount exceeds what is refundable' },
  [BusinessCode.RateLimited]: { http: 429, meaning: 'rate limit exceeded' },
  [BusinessCode.UrlNotAllowed]: { http: 200, meaning: 'URL not allowed' },
  [BusinessCode.BodyMalformed]: { http: 200, meaning: 'body malformed' },
  [BusinessCode.InsufficientBalance]: { http: 200, meaning: 'payout amount (with its fee) exceeds the available balance' },
  [BusinessCode.PayoutUnavailable]: { http: 200, meaning: "payouts unavailable: none of the merchant's acquirers pays out to cards" },
};

export class PayrailError extends Error {
  constructor(
    readonly code: BusinessCode,
    message: string,
  ) {
    super(message);
    this.name = 'PayrailError';
  }
}

export const invalidParameter = (field: string, rule: string) =>
  new PayrailError(BusinessCode.ParameterInvalid, `${field} ${rule}`);

export const missingParameter = (field: string) =>
  new PayrailError(BusinessCode.ParameterInvalid, `${field} is required`);
