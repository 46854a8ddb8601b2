import type { Command } from 'commander';
import { PayoutStatusCode } from '../domain/payout-status.ts';
import { formatAmount } from '../domain/money.ts';
import { listPayouts } from '../store/payouts.ts';
import { maskedCard } from '../domain/card.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import { choice, integer } from './options.ts';
import { withDatabase } from './with-database.ts';

/** `payrail payout list`. */
export function addPayoutCommand(program: Command): void {
  program
    .command('payout')
    .description('payouts to cards')
    .command('list')
    .description('the newest payouts, newest first')
    .option('--merchant <merchantNo>', 'only this merchant')
    .option('--status <status>', 'only this status: 0015, 0000 or 00029', choice('--status', Object.values(PayoutStatusCode)))
    .option('--limit <n>', 'at most this many', integer('--limit', 1, 10_000), 50)
    .option('--json', 'print JSON')
    .action(async (options: { merchant?: string; status?: string; limit: number; json?: boolean }) => {
      const payouts = await withDatabase((db) => listPayouts(db, { merchantNo: options.merchant, status: options.status, limit: options.limit }));
      const rows = payouts.map((p) => ({
        merchantNo: p.merchant_no,
        tradeNo: p.trade_no,
        platFormTradeNo: p.plat_form_trade_no,
        amount: formatAmount(p.amount_cents),
        fee: formatAmount(p.fee_cents),
        status: p.status,
        desc: p.status_desc,
        card: maskedCard(p.card_brand, p.card_last4),
        createTime: formatWireTime(p.created_at),
      }));
      if (options.json) console.log(JSON.stringify(rows));
      else for (const row of rows) console.log(`${row.createTime}  ${row.merchantNo}  ${row.tradeNo}  ${row.amount.padStart(12)}  ${row.status.padEnd(5)}  ${row.desc}  ${row.card}`);
    });
}
