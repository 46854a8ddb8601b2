import { sql, type Kysely } from 'kysely';

/** `POST /v1/notify/listen` reads a merchant's notifications queued after a point in time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX jobs_notify_by_created ON jobs (created_at, id) WHERE kind = 'notify'`.execute(db);
}
