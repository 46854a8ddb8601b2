import { sql, type Kysely } from 'kysely';

/**
 * Issue 25, WAL per payment: a payment writes two `order_events` rows and three `ledger_entries`
 * rows, and each row also wrote an entry into its table's primary key `(id, created_at)`, about
 * 360 bytes of WAL a payment (docs/performance.md, "Where a payment's WAL goes"). Nothing reads
 * either table by that key: events are read by their order (`order_events_by_order`, ordered by
 * id), entries by their posting and by merchant and account (`ledger_entries_by_posting`,
 * `ledger_entries_by_merchant`); both are only appended to, their ids still come from their
 * sequences, and their foreign keys stay. So the two keys go.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE order_events DROP CONSTRAINT order_events_pkey`.execute(db);
  await sql`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey`.execute(db);
}
