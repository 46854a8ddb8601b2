/**
 * The closed set of business codes of the merchant API (docs/api.md, "Business codes").
 * Every failure inside the gateway is a `PayrailError` carrying one of these; the API edge
 * turns it into the response envelope in exactly one place (src/api/envelope.ts).
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
} as const;

export type BusinessCode = (typeof BusinessCode)[keyof typeof BusinessCode];

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
