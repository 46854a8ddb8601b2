import type { Command } from 'commander';
import { addMerchantCreateCommand } from './create.ts';
import { addMerchantListCommand } from './list.ts';
import { addMerchantUpdateCommand } from './update.ts';
import { addMerchantRotateSecretCommand } from './rotate-secret.ts';
import { addMerchantEnableDisableCommands } from './enable-disable.ts';

/** `payrail merchant …`: merchant administration, one file per subcommand. */
export function addMerchantCommand(program: Command): void {
  const merchant = program.command('merchant').description('merchant administration: create, list, update, rotate-secret, disable, enable');
  addMerchantCreateCommand(merchant);
  addMerchantListCommand(merchant);
  addMerchantUpdateCommand(merchant);
  addMerchantRotateSecretCommand(merchant);
  addMerchantEnableDisableCommands(merchant);
}
