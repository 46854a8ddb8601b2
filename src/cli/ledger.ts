import type { Command } from 'commander';
import { checkLedger } from '../store/ledger/check-ledger.ts';
import { withDatabase } from './with-database.ts';

/** `payrail ledger check`. */
export function addLedgerCommand(program: Command): void {
  program
    .command('ledger')
    .description('the double-entry ledger')
    .command('check')
    .description('check every posting sums to zero and every balance matches its postings; exits 1 when not')
    .action(async () => {
      const problems = await withDatabase((db) => checkLedger(db));
      if (problems.length === 0) {
        console.log('ledger ok');
        return;
      }
      for (const problem of problems) console.error(`${problem.rule}: ${problem.detail}`);
      process.exit(1);
    });
}
