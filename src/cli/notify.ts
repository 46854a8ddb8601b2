import type { Command } from 'commander';
import { resendNotification } from '../jobs/notify/resend-notification.ts';
import { PayrailError } from '../domain/errors.ts';
import { withDatabase } from './with-database.ts';
import { fail } from './exit.ts';

/** `payrail notify resend`. */
export function addNotifyCommand(program: Command): void {
  program
    .command('notify')
    .description('merchant notifications')
    .command('resend <tradeNo>')
    .description("queue the latest notification of an order (or, when no order has that tradeNo, of a payout) again, with a fresh retry schedule; prints its notifyId")
    .requiredOption('--merchant <merchantNo>', 'the merchant the order or payout belongs to')
    .action(async (tradeNo: string, options: { merchant: string }) => {
      // Errors are answered from inside and reported after the database is closed (and its lock released).
      const outcome = await withDatabase(async (db): Promise<{ notifyId: string } | { error: string }> => {
        try {
          return await resendNotification(db, options.merchant, { tradeNo });
        } catch (error) {
          if (error instanceof PayrailError) return { error: error.message };
          throw error;
        }
      });
      if ('error' in outcome) fail(outcome.error);
      console.log(outcome.notifyId);
    });
}
