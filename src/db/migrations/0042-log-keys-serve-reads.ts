import { sql, type Kysely } from 'kysely';

/**
 * Issue 25, WAL per payment: a payment appends two `order_events` rows and three `ledger_entries`
 * rows, and each row wrote an entry into its table's primary key `(id, created_at)`, which no
 * query reads, besides the index its readers use: about 360 bytes of WAL a payment
 * (docs/performance.md, "Third round"). The primary key becomes the index that is read, with the
 * partition key last (a partitioned table's key must hold it): events by their order in id order,
 * entries by their posting. One index each instead of two; every table keeps a primary key (for
 * logical replication, pg_repack and operators' tools), ids still come from their sequences, and
 * the foreign keys stay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE order_events DROP CONSTRAINT order_events_pkey`.execute(db);
  await sql`ALTER TABLE order_events ADD CONSTRAINT order_events_pkey PRIMARY KEY (order_no, id, created_at)`.execute(db);
  await sql`DROP INDEX order_events_by_order`.execute(db);
  await sql`COMMENT ON INDEX order_events_pkey IS 'serves an order''s events in order (console order page, late approvals)'`.execute(db);

  await sql`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey`.execute(db);
  await sql`ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (posting_id, id, created_at)`.execute(db);
  await sql`DROP INDEX ledger_entries_by_posting`.execute(db);
  await sql`COMMENT ON INDEX ledger_entries_pkey IS 'serves a posting''s entries (ledger check, statements, order page)'`.execute(db);
}
