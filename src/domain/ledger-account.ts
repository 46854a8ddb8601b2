/**
 * The accounts of the double-entry ledger (ARCHITECTURE.md, "Refunds and the ledger").
 * Entries are debits positive, credits negative; credits on a merchant account are what we owe
 * the merchant. Mirrored by the CHECK constraint on `ledger_entries.account` (migration 0006).
 */
export const LedgerAccount = {
  /** What the acquirer owes us for payments it captured, less refunds. */
  AcquirerClearing: 'acquirer_clearing',
  /** Owed to the merchant, not yet settled (T+1). */
  MerchantPending: 'merchant_pending',
  /** Owed to the merchant and settled: can be paid out. */
  MerchantAvailable: 'merchant_available',
  /** Held back from the merchant while a dispute is open (`freezeAmount`; migration 0038). */
  MerchantFrozen: 'merchant_frozen',
  /** Our fees. */
  FeeRevenue: 'fee_revenue',
  /** Held from the available balance for payouts the acquirer has not settled yet (migration 0020). */
  PayoutsInFlight: 'payouts_in_flight',
} as const;

export type LedgerAccount = (typeof LedgerAccount)[keyof typeof LedgerAccount];
