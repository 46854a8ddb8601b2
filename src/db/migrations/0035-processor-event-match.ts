import { sql, type Kysely } from 'kysely';

/**
 * Processor events are matched to the payment we made (issue 21): each stored event keeps the
 * order it named and, when it did not match what we sent (the processor's id, amount, currency),
 * what did not match, for the console's order page; a signed event we could not read keeps why.
 * Each payout records the acquirer it went to, so the reconciler asks that one.
 * Neither table is partitioned (docs/scaling.md, "Partitioning").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE acquirer_events
              ADD COLUMN order_no text,
              ADD COLUMN mismatch jsonb,
              ADD COLUMN unreadable text`.execute(db);
  await sql`CREATE INDEX acquirer_events_mismatched_by_order ON acquirer_events (order_no, received_at) WHERE mismatch IS NOT NULL`.execute(db);
  await sql`COMMENT ON INDEX acquirer_events_mismatched_by_order IS ${sql.lit("serves the console order page: listMismatchedEvents, an order's processor events that did not match")}`.execute(db);
  await sql`ALTER TABLE payouts ADD COLUMN acquirer text CHECK (acquirer IN ('simulator', 'http', 'stripe', 'adyen'))`.execute(db);
}
