/**
 * The wire's business codes and statuses as merchant-side code names them. It imports nothing,
 * so the SDK's build (tsconfig.sdk.json) ships it beside src/sdk/ without any server code; the
 * gateway's own names (order-status.ts, errors.ts) hold the same values.
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
