import { sql, type Kysely } from 'kysely';

/**
 * Durable background work. A job row is written in the same transaction as the state change
 * that causes it, so a crash can never lose one. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED and hold a lease while they run them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id           text PRIMARY KEY,
      kind         text NOT NULL CHECK (kind IN ('notify', 'email')),
      order_no     text NOT NULL REFERENCES orders ON DELETE CASCADE,
      refund_no    text,
      status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
      attempts     integer NOT NULL DEFAULT 0,
      run_at       timestamptz NOT NULL DEFAULT now(),
      lease        text,
      leased_until timestamptz,
      last_error   text,
      created_at   timestamptz NOT NULL DEFAULT now(),
      finished_at  timestamptz
    )`.execute(db);
  await sql`CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX jobs_by_order ON jobs (order_no, created_at)`.execute(db);

  await sql`
    CREATE TABLE notification_attempts (
      id            bigserial PRIMARY KEY,
      notify_id     text NOT NULL REFERENCES jobs ON DELETE CASCADE,
      attempted_at  timestamptz NOT NULL DEFAULT now(),
      worker        text NOT NULL,
      url           text NOT NULL,
      acknowledged  boolean NOT NULL,
      http_status   integer,
      latency_ms    integer NOT NULL,
      body_excerpt  text,
      error         text
    )`.execute(db);
  await sql`CREATE INDEX notification_attempts_by_job ON notification_attempts (notify_id, id)`.execute(db);
}
