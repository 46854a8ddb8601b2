import { sql, type Kysely } from 'kysely';

/**
 * Dashboard logins (issue 11): tries are counted before the password is checked, in counter rows
 * per key and window (an email from one address, an address, an email from new addresses), so a
 * burst of concurrent tries cannot test more passwords than the limit. Addresses an operator has
 * signed in from are remembered, so that nobody can lock an operator out from elsewhere.
 * Sessions carry a generation that logout and a password change move on; a one-time password
 * must be changed at first login.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_counters (
      key          text PRIMARY KEY,
      window_start timestamptz NOT NULL,
      tries        integer NOT NULL CHECK (tries >= 0)
    )`.execute(db);
  await sql`
    CREATE TABLE login_known_addresses (
      email         text NOT NULL,
      address       text NOT NULL,
      last_login_at timestamptz NOT NULL,
      PRIMARY KEY (email, address)
    )`.execute(db);
  await sql`DROP TABLE login_failures`.execute(db);
  await sql`ALTER TABLE admins ADD COLUMN session_generation integer NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE admins ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`.execute(db);
}
