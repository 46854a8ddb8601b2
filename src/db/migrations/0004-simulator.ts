import { sql, type Kysely } from 'kysely';

/**
 * The built-in simulator acquirer's own records, kept in the gateway's database so that several
 * gateway nodes share one simulated acquirer (a real acquirer keeps these on its side).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE simulator_authorizations (
      idempotency_key text PRIMARY KEY,
      challenge_id    text UNIQUE,
      record          jsonb NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE simulator_charges (
      id              bigserial PRIMARY KEY,
      idempotency_key text NOT NULL,
      reference       text NOT NULL,
      amount_cents    bigint NOT NULL,
      currency        text NOT NULL,
      charged_at      timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX simulator_charges_by_key ON simulator_charges (idempotency_key)`.execute(db);
  await sql`CREATE INDEX simulator_charges_by_reference ON simulator_charges (reference)`.execute(db);
  await sql`
    CREATE TABLE simulator_refunds (
      idempotency_key text PRIMARY KEY,
      reference       text NOT NULL,
      record          jsonb NOT NULL
    )`.execute(db);
}
