/** Whether a merchant may use the API. Mirrored by the CHECK constraint on `merchants.status`. */
export const MerchantStatus = {
  Active: 'active',
  /** Every API call answers 8004; orders already made keep their jobs. */
  Disabled: 'disabled',
} as const;

export type MerchantStatus = (typeof MerchantStatus)[keyof typeof MerchantStatus];

export const isMerchantStatus = (value: string): value is MerchantStatus => value === MerchantStatus.Active || value === MerchantStatus.Disabled;
