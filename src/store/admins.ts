import { sql, type Kysely, type Selectable } from 'kysely';
import type { AdminsTable, Database } from '../db/schema.ts';

export type AdminRow = Selectable<AdminsTable>;

export const findAdminByEmail = (db: Kysely<Database>, email: string) =>
  db.selectFrom('admins').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findAdmin = (db: Kysely<Database>, id: number) =>
  db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();

export interface LoginThrottle {
  /** Failures allowed per email within one window. */
  maxFailures: number;
  windowMs: number;
}

/** Whether `email` has used up its failed logins for the current window. */
export async function loginLocked(db: Kysely<Database>, email: string, throttle: LoginThrottle, now: Date): Promise<boolean> {
  const row = await db.selectFrom('login_failures').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row !== undefined && row.failures >= throttle.maxFailures && row.first_failed_at.getTime() + throttle.windowMs > now.getTime();
}

/**
 * Counts a failed login in one statement (so concurrent tries on several nodes all count); a
 * window that has run out starts again at one. Unknown emails count too, so a lock-out says
 * nothing about which accounts exist.
 */
export async function recordLoginFailure(db: Kysely<Database>, email: string, throttle: LoginThrottle, now: Date) {
  const windowStart = new Date(now.getTime() - throttle.windowMs);
  await sql`
    INSERT INTO login_failures (email, failures, first_failed_at) VALUES (${email.toLowerCase()}, 1, ${now})
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN login_failures.first_failed_at > ${windowStart} THEN login_failures.failures + 1 ELSE 1 END,
      first_failed_at = CASE WHEN login_failures.first_failed_at > ${windowStart} THEN login_failures.first_failed_at ELSE EXCLUDED.first_failed_at END`.execute(db);
}

export async function clearLoginFailures(db: Kysely<Database>, email: string) {
  await db.deleteFrom('login_failures').where('email', '=', email.toLowerCase()).execute();
}

/** Creates an operator, or gives an existing one a new password (which ends its sessions). */
export async function upsertAdmin(db: Kysely<Database>, email: string, passwordHash: string) {
  await db
    .insertInto('admins')
    .values({ email: email.toLowerCase(), password_hash: passwordHash })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ password_hash: passwordHash }))
    .execute();
}

/** Forgets failed-login counters whose window ended long ago; unknown emails are counted too. */
export async function pruneLoginFailures(db: Kysely<Database>, olderThan: Date): Promise<void> {
  await db.deleteFrom('login_failures').where('first_failed_at', '<', olderThan).execute();
}
