/** The `payrail` command (bin/payrail.js runs this file): one file per command in cli/. */
import fs from 'node:fs';
import { Command } from 'commander';
import { ConfigError } from './config.ts';
import { DatabaseFormatError, DatabaseLockedError } from './db/connect.ts';
import { DatabaseUnavailableError } from './db/health.ts';
import { addStartCommand } from './cli/start.ts';
import { addMigrateCommand } from './cli/migrate.ts';
import { addMerchantCommand } from './cli/merchant/index.ts';
import { addAdminCommand } from './cli/admin.ts';
import { addUserCommand } from './cli/user.ts';
import { addAcquirerSimCommand } from './cli/acquirer-sim.ts';
import { addDemoCommand } from './cli/demo.ts';
import { addListenCommand } from './cli/listen.ts';
import { addNotifyCommand } from './cli/notify.ts';
import { addPayoutCommand } from './cli/payout.ts';
import { addLedgerCommand } from './cli/ledger.ts';
import { addDisputeCommand } from './cli/dispute.ts';
import { fail } from './cli/exit.ts';

const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('payrail')
  .description('Payrail card payment gateway: the merchant API, the cashier page, the dashboard and their administration')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

for (const addCommand of [addStartCommand, addMigrateCommand, addMerchantCommand, addAdminCommand, addUserCommand, addAcquirerSimCommand, addDemoCommand, addListenCommand, addNotifyCommand, addPayoutCommand, addLedgerCommand, addDisputeCommand]) {
  addCommand(program);
}

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof DatabaseFormatError) fail(error.message);
  if (error instanceof DatabaseUnavailableError) fail(`cannot reach the PostgreSQL server named by DATABASE_URL: ${error.message}`);
  throw error;
}
