import type { Insertable, Kysely } from 'kysely';
import type { Database, NotificationAttemptsTable } from '../db/schema.ts';

/** One delivery attempt of a notification, kept for the merchant's and the operator's eyes. */
export async function recordNotificationAttempt(db: Kysely<Database>, attempt: Insertable<NotificationAttemptsTable>) {
  await db.insertInto('notification_attempts').values(attempt).execute();
}
