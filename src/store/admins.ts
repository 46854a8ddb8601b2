import { sql, type Kysely, type Selectable } from 'kysely';
import type { AdminsTable, Database } from '../db/schema.ts';

export type AdminRow = Selectable<AdminsTable>;

export const findAdminByEmail = (db: Kysely<Database>, email: string) =>
  db.selectFrom('admins').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findAdmin = (db: Kysely<Database>, id: number) =>
  db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Creates an operator with a one-time password, or gives an existing one a new one-time password
 * (which ends its sessions); either way it must be changed at the next login.
 */
export async function upsertAdmin(db: Kysely<Database>, email: string, passwordHash: string) {
  await db
    .insertInto('admins')
    .values({ email: email.toLowerCase(), password_hash: passwordHash, must_change_password: true })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ password_hash: passwordHash, must_change_password: true }))
    .execute();
}

/** The operator's own new password: no longer one-time, and every earlier session ends. */
export async function changeAdminPassword(db: Kysely<Database>, id: number, passwordHash: string): Promise<AdminRow> {
  return db
    .updateTable('admins')
    .set({ password_hash: passwordHash, must_change_password: false, session_generation: sql`session_generation + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends every session of an operator: cookies signed with the previous generation stop working. */
export async function endAdminSessions(db: Kysely<Database>, id: number) {
  await db.updateTable('admins').set({ session_generation: sql`session_generation + 1` }).where('id', '=', id).execute();
}

export async function hasAdmins(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('admins').select('id').limit(1).executeTakeFirst()) !== undefined;
}
