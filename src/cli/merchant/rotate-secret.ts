import type { Command } from 'commander';
import { loadMasterKey } from '../../secrets/master-key.ts';
import { rotateSecret } from '../../store/merchants.ts';
import { withDatabase } from '../with-database.ts';
import { fail } from '../exit.ts';

/** `payrail merchant rotate-secret`. */
export function addMerchantRotateSecretCommand(merchant: Command): void {
  merchant
    .command('rotate-secret <merchantNo>')
    .description('issue a new app secret; the old one stays valid for 24 hours')
    .action(async (merchantNo: string) => {
      const rotated = await withDatabase((db, config) => rotateSecret(db, loadMasterKey(config.masterKey, config.dataDir), merchantNo, new Date()));
      if (!rotated) fail(`merchant ${merchantNo} not found`);
      console.log(`merchantNo  ${rotated.merchantNo}\napp secret  ${rotated.appSecret}\n(the previous secret is accepted for 24 hours)`);
    });
}
