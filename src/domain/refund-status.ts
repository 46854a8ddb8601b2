/**
 * The refund state machine (docs/api.md, "Refund status"): PROCESSING until the acquirer's
 * answer is recorded, then SUCCESS or FAILED, which never change. Mirrored by the CHECK
 * constraint on `refunds.status` (migration 0005).
 *
 *   PROCESSING ──succeed──► SUCCESS
 *              ──fail─────► FAILED: <reason>
 */
export const RefundStatus = {
  /** Recorded; the acquirer's answer is awaited (or being reconciled). */
  Processing: '0015',
  /** Money given back. Final. */
  Succeeded: '0000',
  /** The acquirer refused it; desc says why. Final. Counts nothing against the refundable amount. */
  Failed: '00029',
} as const;

/** A refund's wire status. */
export type RefundStatus = (typeof RefundStatus)[keyof typeof RefundStatus];

export interface RefundState {
  readonly status: RefundStatus;
  readonly desc: string;
}

export const RefundState = {
  Processing: { status: RefundStatus.Processing, desc: 'PROCESSING' },
  Succeeded: { status: RefundStatus.Succeeded, desc: 'SUCCESS' },
} as const satisfies Record<string, RefundState>;

export const failedRefund = (reason: string): RefundState => ({ status: RefundStatus.Failed, desc: `FAILED: ${reason}` });

/** Every move the store makes on a refund, as a compare-and-set from `from`. */
export const RefundMove = {
  succeed: { from: RefundState.Processing, to: RefundState.Succeeded },
  fail: { from: RefundState.Processing, to: failedRefund },
} as const;
