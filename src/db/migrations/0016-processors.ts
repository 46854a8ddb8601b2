import { sql, type Kysely } from 'kysely';

/**
 * Real processors (issue 8): each attempt records the connector it went to (null on rows from
 * before: the configured ACQUIRER), whether it was failed over to the next one, and the redirect
 * a processor's 3-D Secure step asked for; each merchant may have an ordered list of connectors;
 * each processor event is stored once, so a duplicate webhook changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_attempts
              ADD COLUMN acquirer text CHECK (acquirer IN ('simulator', 'http', 'stripe', 'adyen')),
              ADD COLUMN failed_over boolean NOT NULL DEFAULT false,
              ADD COLUMN challenge_redirect jsonb`.execute(db);
  await sql`ALTER TABLE merchants ADD COLUMN acquirers text[]
              CHECK (acquirers IS NULL OR (cardinality(acquirers) BETWEEN 1 AND 4
                     AND acquirers <@ ARRAY['simulator', 'http', 'stripe', 'adyen']::text[]))`.execute(db);
  await sql`
    CREATE TABLE acquirer_events (
      acquirer    text NOT NULL CHECK (acquirer IN ('stripe', 'adyen')),
      event_id    text NOT NULL,
      type        text NOT NULL,
      reference   text,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (acquirer, event_id)
    )`.execute(db);
}
