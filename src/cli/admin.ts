import type { Command } from 'commander';
import { hashPassword, newOneTimePassword } from '../secrets/password.ts';
import { upsertAdmin } from '../store/console/admins.ts';
import { withDatabase } from './with-database.ts';
import { fail } from './exit.ts';

/** `payrail admin create`: an operator account. */
export function addAdminCommand(program: Command): void {
  program
    .command('admin')
    .description('operator accounts')
    .command('create')
    .description('create an operator (or reset its password) and print a one-time password, changed at first login')
    .requiredOption('--email <email>', 'operator email, the dashboard login')
    .action(async (options: { email: string }) => {
      if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(options.email) || options.email.length > 254) {
        fail(`--email must be an email address such as ops@example.com, not ${JSON.stringify(options.email)}`);
      }
      const password = newOneTimePassword();
      const passwordHash = await hashPassword(password);
      const written = await withDatabase((db) => upsertAdmin(db, options.email, passwordHash));
      if (written.kind === 'other-role') fail(`${options.email} is a user of merchant ${written.user.merchant_no}, not an operator; nothing changed`);
      console.log(`operator ${options.email}\none-time password  ${password}`);
    });
}
