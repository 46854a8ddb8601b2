import { sql, type Kysely, type Selectable } from 'kysely';
import type { AdminsTable, Database } from '../db/schema.ts';

export type AdminRow = Selectable<AdminsTable>;

export const findAdminByEmail = (db: Kysely<Database>, email: string) =>
  db.selectFrom('admins').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findAdmin = (db: Kysely<Database>, id: number) =>
  db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();

/** Creates an operator, or gives an existing one a new password (which ends its sessions). */
export async function upsertAdmin(db: Kysely<Database>, email: string, passwordHash: string) {
  await db
    .insertInto('admins')
    .values({ email: email.toLowerCase(), password_hash: passwordHash })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ password_hash: passwordHash }))
    .execute();
}

/** Ends every session of an operator: cookies signed with the previous generation stop working. */
export async function endAdminSessions(db: Kysely<Database>, id: number) {
  await db.updateTable('admins').set({ session_generation: sql`session_generation + 1` }).where('id', '=', id).execute();
}
