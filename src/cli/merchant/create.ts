import type { Command } from 'commander';
import { loadMasterKey } from '../../secrets/master-key.ts';
import { createMerchant } from '../../store/merchants.ts';
import { STATUS_SETS } from '../../domain/order-status.ts';
import { DEFAULT_FEE_BPS } from '../../domain/fees.ts';
import { acquirerList, amount, choice, feeAmount, integer } from '../options.ts';
import { withDatabase } from '../with-database.ts';
import { STATUS_SET_HELP, type MerchantCreateOptions } from './merchant-options.ts';

/** `payrail merchant create`. */
export function addMerchantCreateCommand(merchant: Command): void {
  merchant
    .command('create')
    .description('create a merchant and print its merchantNo and app secret (shown once)')
    .requiredOption('--name <name>', 'merchant name shown to customers')
    .option('--fee-bps <n>', `fee in basis points of each payment (default: ${DEFAULT_FEE_BPS})`, integer('--fee-bps', 0, 10_000))
    .option('--rate-limit <n>', 'API requests per second (default: 1000)', integer('--rate-limit', 1, 1_000_000))
    .option('--min-amount <amount>', 'smallest order amount accepted, e.g. 1.00 (default: 0.01)', amount('--min-amount'))
    .option('--max-amount <amount>', 'largest order amount accepted, e.g. 5000.00 (default: 999999999.99)', amount('--max-amount'))
    .option('--salt-placement <where>', 'where the secret goes in the MD5 signs we send: suffix or prefix (default: suffix)', choice('--salt-placement', ['suffix', 'prefix'] as const))
    .option('--require-hmac', 'accept only HMAC-SHA256 signs from this merchant (default: MD5 accepted too)')
    .option('--acquirers <list>', 'ordered acquirer connectors, failover in that order (default: ACQUIRER), e.g. adyen,stripe', acquirerList)
    .option('--status-set <set>', STATUS_SET_HELP, choice('--status-set', STATUS_SETS))
    .option('--payout-fee <amount>', 'fixed fee taken with each payout, e.g. 0.50 (default 0.00)', feeAmount('--payout-fee'))
    .option('--json', 'print {"merchantNo","appSecret"} alone on stdout')
    .action(async (options: MerchantCreateOptions) => {
      const created = await withDatabase((db, config) =>
        createMerchant(db, loadMasterKey(config.masterKey, config.dataDir), {
          name: options.name,
          feeBps: options.feeBps ?? DEFAULT_FEE_BPS,
          rateLimitPerSecond: options.rateLimit,
          minAmountCents: options.minAmount,
          maxAmountCents: options.maxAmount,
          saltPlacement: options.saltPlacement,
          requireHmac: options.requireHmac,
          acquirers: options.acquirers,
          statusSet: options.statusSet,
          payoutFeeCents: options.payoutFee,
        }),
      );
      if (options.json) console.log(JSON.stringify(created));
      else console.log(`merchantNo  ${created.merchantNo}\napp secret  ${created.appSecret}\n(the secret is shown once; keep it safe)`);
    });
}
