import { sql, type Kysely } from 'kysely';

/**
 * Payment attempts: one row per card tried. The full card number and the CVC are never stored:
 * brand, BIN, last four and a keyed fingerprint (HMAC with a key derived from the master key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_attempts (
      id                 text PRIMARY KEY,
      order_no           text NOT NULL REFERENCES orders ON DELETE CASCADE,
      status             text NOT NULL DEFAULT 'processing'
                         CHECK (status IN ('processing', 'challenge', 'approved', 'declined', 'error', 'unknown')),
      card_brand         text NOT NULL CHECK (card_brand IN ('visa', 'mastercard')),
      card_bin           text NOT NULL CHECK (card_bin ~ '^[0-9]{6}$'),
      card_last4         text NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
      card_fingerprint   text NOT NULL,
      client_ip          text,
      reason             text,
      acquirer_reference text,
      challenge_id       text,
      -- When the reconciler may next ask the acquirer about an attempt still in flight.
      check_after        timestamptz NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      updated_at         timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // The database, not luck, guarantees one attempt in flight per order: two tabs, a double click
  // or a replayed form cannot start a second authorisation.
  await sql`CREATE UNIQUE INDEX payment_attempts_one_in_flight ON payment_attempts (order_no)
            WHERE status IN ('processing', 'challenge', 'unknown')`.execute(db);
  await sql`CREATE INDEX payment_attempts_by_order ON payment_attempts (order_no, created_at)`.execute(db);
  await sql`CREATE INDEX payment_attempts_to_reconcile ON payment_attempts (check_after)
            WHERE status IN ('processing', 'challenge', 'unknown')`.execute(db);
  await sql`CREATE INDEX payment_attempts_failed_by_card ON payment_attempts (card_fingerprint, created_at)
            WHERE status IN ('declined', 'error')`.execute(db);
  await sql`CREATE INDEX payment_attempts_failed_by_ip ON payment_attempts (client_ip, created_at)
            WHERE status IN ('declined', 'error')`.execute(db);
}
