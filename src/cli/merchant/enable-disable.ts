import type { Command } from 'commander';
import { setMerchantStatus } from '../../store/merchants.ts';
import { MerchantStatus } from '../../domain/merchant-status.ts';
import { withDatabase } from '../with-database.ts';
import { fail } from '../exit.ts';

/** `payrail merchant disable` and `payrail merchant enable`. */
export function addMerchantEnableDisableCommands(merchant: Command): void {
  merchant
    .command('disable <merchantNo>')
    .description('refuse every API request of this merchant (8004) until enabled again')
    .action(async (merchantNo: string) => {
      if (!(await withDatabase((db) => setMerchantStatus(db, merchantNo, MerchantStatus.Disabled)))) fail(`merchant ${merchantNo} not found`);
      console.log(`merchant ${merchantNo} disabled`);
    });

  merchant
    .command('enable <merchantNo>')
    .description('accept the merchant\'s API requests again')
    .action(async (merchantNo: string) => {
      if (!(await withDatabase((db) => setMerchantStatus(db, merchantNo, MerchantStatus.Active)))) fail(`merchant ${merchantNo} not found`);
      console.log(`merchant ${merchantNo} enabled`);
    });
}
