import type { Command } from 'commander';
import { cents, formatAmount } from '../../domain/money.ts';
import { MerchantChangeError, updateMerchant } from '../../store/merchants.ts';
import { STATUS_SETS } from '../../domain/order-status.ts';
import { acquirerList, amount, choice, feeAmount, integer } from '../options.ts';
import { withDatabase } from '../with-database.ts';
import { fail } from '../exit.ts';
import { STATUS_SET_HELP, type MerchantCreateOptions } from './merchant-options.ts';

/** `payrail merchant update`. */
export function addMerchantUpdateCommand(merchant: Command): void {
  merchant
    .command('update <merchantNo>')
    .description("change a merchant's fees, amount limits, rate limit or sign settings; what is not given stays")
    .option('--fee-bps <n>', 'fee in basis points of each payment', integer('--fee-bps', 0, 10_000))
    .option('--rate-limit <n>', 'API requests per second', integer('--rate-limit', 1, 1_000_000))
    .option('--min-amount <amount>', 'smallest order amount accepted, e.g. 1.00', amount('--min-amount'))
    .option('--max-amount <amount>', 'largest order amount accepted, e.g. 5000.00', amount('--max-amount'))
    .option('--salt-placement <where>', 'where the secret goes in the MD5 signs we send: suffix or prefix', choice('--salt-placement', ['suffix', 'prefix'] as const))
    .option('--require-hmac', 'accept only HMAC-SHA256 signs from this merchant')
    .option('--allow-md5', 'accept MD5 signs again')
    .option('--acquirers <list>', 'ordered acquirer connectors, failover in that order, e.g. adyen,stripe', acquirerList)
    .option('--status-set <set>', STATUS_SET_HELP, choice('--status-set', STATUS_SETS))
    .option('--payout-fee <amount>', 'fixed fee taken with each payout, e.g. 0.50', feeAmount('--payout-fee'))
    .option('--dispute-fee <amount>', 'fee taken with each lost dispute, besides its amount, e.g. 15.00 (the default)', feeAmount('--dispute-fee'))
    .action(async (merchantNo: string, options: Omit<MerchantCreateOptions, 'name' | 'json'> & { allowMd5?: boolean; disputeFee?: number }) => {
      if (options.requireHmac && options.allowMd5) fail('give --require-hmac or --allow-md5, not both');
      const outcome = await withDatabase(async (db) => {
        try {
          return await updateMerchant(db, merchantNo, {
            acquirers: options.acquirers,
            statusSet: options.statusSet,
            payoutFeeCents: options.payoutFee === undefined ? undefined : cents(options.payoutFee),
            disputeFeeCents: options.disputeFee === undefined ? undefined : cents(options.disputeFee),
            feeBps: options.feeBps,
            rateLimitPerSecond: options.rateLimit,
            minAmountCents: options.minAmount,
            maxAmountCents: options.maxAmount,
            saltPlacement: options.saltPlacement,
            requireHmac: options.requireHmac ? true : options.allowMd5 ? false : undefined,
          });
        } catch (error) {
          if (error instanceof MerchantChangeError) return error;
          throw error;
        }
      });
      if (outcome instanceof MerchantChangeError) fail(outcome.message);
      if (!outcome) fail(`merchant ${merchantNo} not found`);
      console.log(
        `merchant ${merchantNo} updated: fee ${outcome.fee_bps} bps, amounts ${formatAmount(outcome.min_amount_cents)}-${formatAmount(outcome.max_amount_cents)}, ` +
          `${outcome.rate_limit_per_second} req/s, ${outcome.require_hmac ? 'HMAC-SHA256 only' : 'MD5 or HMAC-SHA256'}, salt ${outcome.salt_placement}` +
          (outcome.acquirers ? `, acquirers ${outcome.acquirers.join(', ')}` : '') +
          `, status set ${outcome.status_set}, payout fee ${formatAmount(outcome.payout_fee_cents)}, dispute fee ${formatAmount(outcome.dispute_fee_cents)}`,
      );
    });
}
