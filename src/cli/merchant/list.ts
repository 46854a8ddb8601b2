import type { Command } from 'commander';
import { formatAmount } from '../../domain/money.ts';
import { listMerchants } from '../../store/merchants.ts';
import { withDatabase } from '../with-database.ts';

/** `payrail merchant list`. */
export function addMerchantListCommand(merchant: Command): void {
  merchant
    .command('list')
    .description('list merchants with their status, fee, amount limits, rate limit and sign settings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const merchants = await withDatabase((db) => listMerchants(db));
      const rows = merchants.map((m) => ({
        merchantNo: m.merchant_no,
        name: m.name,
        status: m.status,
        feeBps: m.fee_bps,
        minAmount: formatAmount(m.min_amount_cents),
        maxAmount: formatAmount(m.max_amount_cents),
        rateLimitPerSecond: m.rate_limit_per_second,
        saltPlacement: m.salt_placement,
        requireHmac: m.require_hmac,
        acquirers: m.acquirers,
        statusSet: m.status_set,
        payoutFee: formatAmount(m.payout_fee_cents),
        createdAt: m.created_at,
      }));
      if (options.json) console.log(JSON.stringify(rows));
      else {
        console.log(`${'merchantNo'.padEnd(10)}  ${'status'.padEnd(8)}  ${'fee'.padStart(7)}  ${'amounts'.padEnd(24)}  ${'req/s'.padStart(7)}  ${'signs'.padEnd(18)}  name`);
        for (const row of rows) {
          const fee = `${(row.feeBps / 100).toFixed(2)}%`;
          const signs = `${row.requireHmac ? 'HMAC only' : 'MD5+HMAC'}, ${row.saltPlacement}`;
          console.log(`${row.merchantNo}  ${row.status.padEnd(8)}  ${fee.padStart(7)}  ${`${row.minAmount}-${row.maxAmount}`.padEnd(24)}  ${String(row.rateLimitPerSecond).padStart(7)}  ${signs.padEnd(18)}  ${row.name}`);
        }
      }
    });
}
