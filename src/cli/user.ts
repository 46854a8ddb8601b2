import type { Command } from 'commander';
import { hashPassword, newOneTimePassword } from '../secrets/password.ts';
import { findMerchant } from '../store/merchants.ts';
import { upsertUser } from '../store/console/admins.ts';
import { CONSOLE_ROLES, isMerchantRole, readConsoleRole } from '../domain/console-scope.ts';
import { withDatabase } from './with-database.ts';
import { fail } from './exit.ts';

/** `payrail user create`: a console user of any role. */
export function addUserCommand(program: Command): void {
  program
    .command('user')
    .description('console users: operators, merchant admins and merchant viewers')
    .command('create')
    .description('create a console user (or reset its password) and print a one-time password, changed at first login')
    .requiredOption('--email <email>', 'the user\'s email, the console login')
    .requiredOption('--role <role>', 'operator (every merchant), merchant-admin (one merchant: read, export, refund, close, rotate, settings; `merchant` names it too) or merchant-viewer (one merchant: read and export only)')
    .option('--merchant <merchantNo>', 'the merchant of a merchant user')
    .action(async (options: { email: string; role: string; merchant?: string }) => {
      if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(options.email) || options.email.length > 254) {
        fail(`--email must be an email address such as someone@example.com, not ${JSON.stringify(options.email)}`);
      }
      const role = readConsoleRole(options.role);
      if (role === undefined) fail(`--role must be one of ${CONSOLE_ROLES.join(', ')} (or merchant, the same as merchant-admin), not ${JSON.stringify(options.role)}`);
      if (isMerchantRole(role) && options.merchant === undefined) fail(`--merchant NO is required for a ${role}`);
      if (role === 'operator' && options.merchant !== undefined) fail('--merchant is only for a merchant user: an operator sees every merchant');
      const merchantNo = isMerchantRole(role) ? options.merchant! : null;
      const password = newOneTimePassword();
      const passwordHash = await hashPassword(password);
      const outcome = await withDatabase(async (db) => {
        if (merchantNo !== null && !(await findMerchant(db, merchantNo))) return { error: `merchant ${merchantNo} not found` };
        const written = await upsertUser(db, { email: options.email, role, merchantNo, passwordHash });
        if (written.kind === 'other-role') {
          const user = written.user;
          return { error: `${options.email} already is ${user.role === 'operator' ? 'an operator' : `a ${user.role} of merchant ${user.merchant_no}`}; nothing changed` };
        }
        return { kind: written.kind };
      });
      if ('error' in outcome) fail(outcome.error!);
      const who = role === 'operator' ? 'operator' : `${role} of ${merchantNo}`;
      console.log(`${who} ${options.email.toLowerCase()}${outcome.kind === 'reset' ? ' (password reset)' : ''}\none-time password  ${password}`);
    });
}
