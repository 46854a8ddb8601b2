/**
 * The payout state machine (docs/api.md, Payouts), mirrored by the CHECK on `payouts.status`:
 * PROCESSING until the acquirer says paid or failed, then one final status that never changes.
 */
export const PayoutStatusCode = {
  /** Accepted, money held; the acquirer has not answered for good yet. */
  Processing: '0015',
  /** The card was paid. Final. */
  Paid: '0000',
  /** The acquirer refused; the held money is back in the available balance. Final. */
  Failed: '00029',
} as const;

/** A payout's wire status: 0015 PROCESSING, 0000 SUCCESS, 00029 FAILED. */
export type PayoutStatus = (typeof PayoutStatusCode)[keyof typeof PayoutStatusCode];

export const PAYOUT_PROCESSING_DESC = 'PROCESSING';
export const PAYOUT_PAID_DESC = 'SUCCESS';
export const payoutFailedDesc = (reason: string) => `FAILED: ${reason}`;
