import { sql, type Kysely } from 'kysely';

/**
 * The operator dashboard: failed logins counted per email in the database (so every node sees
 * the same count), and an index for the newest-first order list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_failures (
      email           text PRIMARY KEY,
      failures        integer NOT NULL CHECK (failures > 0),
      first_failed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX orders_newest_first ON orders (created_at DESC, plat_form_trade_no DESC)`.execute(db);
}
