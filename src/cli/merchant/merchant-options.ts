import type { Cents } from '../../domain/money.ts';
import type { StatusSet } from '../../domain/order-status.ts';

/** The options of `payrail merchant create` (and, without name and json, of `update`). */
export interface MerchantCreateOptions {
  name: string;
  acquirers?: string[];
  feeBps?: number;
  rateLimit?: number;
  minAmount?: Cents;
  maxAmount?: Cents;
  saltPlacement?: 'suffix' | 'prefix';
  requireHmac?: boolean;
  statusSet?: StatusSet;
  payoutFee?: number;
  json?: boolean;
}

export const STATUS_SET_HELP = 'statuses the merchant is told: family (expired and closed orders are 00029, the default) or extended (00030 and 00031)';
