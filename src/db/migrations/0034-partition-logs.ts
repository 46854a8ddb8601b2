import type { Kysely } from 'kysely';
import { partitionByMonth } from './partition-table.ts';

/**
 * Notification attempts and ledger entries partitioned by month (issue 14, item 4), their rows
 * moved into the partitions: notification attempts by `attempted_at`, ledger entries by a new
 * `created_at`, the time of their posting (the same for every entry of a posting, so a posting
 * is never split across months). Their foreign keys (to jobs, to ledger_postings) stay.
 * Ledger entry partitions are never to be dropped: balances are sums over all of them
 * (docs/scaling.md, "Partitioning").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await partitionByMonth(db, {
    table: 'notification_attempts',
    key: 'attempted_at',
    copy: 'SELECT * FROM old',
    primaryKey: ['id', 'attempted_at'],
    serial: 'id',
  });

  await partitionByMonth(db, {
    table: 'ledger_entries',
    key: 'created_at',
    addColumns: ['created_at timestamptz NOT NULL DEFAULT now()'],
    copy: 'SELECT e.*, p.created_at FROM old e JOIN ledger_postings p ON p.id = e.posting_id',
    primaryKey: ['id', 'created_at'],
    serial: 'id',
  });
}
