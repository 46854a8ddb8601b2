import { sql, type Kysely } from 'kysely';

/**
 * The console's optional TOTP second factor (issue 12): the shared secret sealed with the master
 * key, and the last time step a code was accepted for, so that no code is accepted twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE admins ADD COLUMN totp_secret_sealed text`.execute(db);
  await sql`ALTER TABLE admins ADD COLUMN totp_last_step bigint`.execute(db);
}
