import type { Command } from 'commander';
import { ALL_MERCHANTS, oneMerchant } from '../domain/console-scope.ts';
import { DISPUTE_STATUS_DESC } from '../domain/dispute.ts';
import { formatAmount } from '../domain/money.ts';
import { formatWireTime } from '../domain/wire-time.ts';
import { closeSimulatorDispute } from '../payments/close-simulator-dispute.ts';
import { listDisputes } from '../store/disputes.ts';
import { fail } from './exit.ts';
import { withDatabase } from './with-database.ts';

/** `payrail dispute list` and `payrail dispute close`. */
export function addDisputeCommand(program: Command): void {
  const dispute = program.command('dispute').description('chargebacks of paid orders');
  dispute
    .command('list')
    .description('disputes, open first, the soonest evidence due date first')
    .option('--merchant <merchantNo>', 'only this merchant')
    .option('--open', 'only open disputes')
    .option('--json', 'print JSON')
    .action(async (options: { merchant?: string; open?: boolean; json?: boolean }) => {
      const scope = options.merchant ? oneMerchant(options.merchant) : ALL_MERCHANTS;
      const disputes = await withDatabase((db) => listDisputes(db, scope, { openOnly: options.open ?? false }));
      const rows = disputes.map((d) => ({
        disputeNo: d.dispute_no,
        merchantNo: d.merchant_no,
        tradeNo: d.trade_no,
        platFormTradeNo: d.order_no,
        processor: d.processor,
        amount: formatAmount(d.amount_cents),
        currency: d.currency,
        reason: d.reason,
        status: d.status,
        desc: DISPUTE_STATUS_DESC[d.status],
        evidenceDueBy: d.evidence_due_by ? formatWireTime(d.evidence_due_by) : null,
        createdTime: formatWireTime(d.created_at),
        closedTime: d.closed_at ? formatWireTime(d.closed_at) : null,
      }));
      if (options.json) console.log(JSON.stringify(rows));
      else {
        for (const row of rows) {
          console.log(`${row.disputeNo}  ${row.merchantNo}  ${row.tradeNo}  ${row.amount.padStart(12)} ${row.currency}  ${row.desc.padEnd(4)}  ${row.reason}  due ${row.evidenceDueBy ?? '-'}  ${row.processor}`);
        }
      }
    });
  dispute
    .command('close')
    .description("end a simulator dispute as won or lost (a processor's dispute is the processor's to decide)")
    .requiredOption('--dispute <disputeNo>', 'the disputeNo')
    .option('--won', 'the merchant won: the held amount is available again')
    .option('--lost', "the merchant lost: the amount and the merchant's dispute fee leave its balance")
    .action(async (options: { dispute: string; won?: boolean; lost?: boolean }) => {
      if (Boolean(options.won) === Boolean(options.lost)) fail('give --won or --lost');
      const result = await withDatabase((db) => closeSimulatorDispute(db, options.dispute, options.won ? 'won' : 'lost', new Date()));
      if ('refused' in result) fail(result.refused);
      console.log(`dispute ${result.closed.dispute_no} ${DISPUTE_STATUS_DESC[result.closed.status]}; the merchant is notified`);
    });
}
