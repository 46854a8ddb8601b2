/**
 * The wire's business codes and statuses, named once for merchant-side code. The SDK ships
 * apart from the gateway (its build has only src/sdk/), so it cannot import src/domain/; these
 * are the same values as the gateway's domain/order-status.ts and domain/errors.ts, checked by
 * the SDK's tests against a running gateway.
 */
export const WireStatus = {
  /** Paid, or the call succeeded (`code`). */
  Success: '0000',
  /** In progress. */
  Processing: '0015',
  /** Failed; with the family status set also expired or closed (`desc` says which). */
  Failed: '00029',
  /** Expired (extended status set). */
  Expired: '00030',
  /** Closed (extended status set). */
  Closed: '00031',
} as const;
