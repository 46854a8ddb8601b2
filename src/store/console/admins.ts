import { sql, type Kysely, type Selectable } from 'kysely';
import type { AdminsTable, Database } from '../../db/schema.ts';
import type { ConsoleRole } from '../../domain/console-scope.ts';

/** A console user: an operator, or a user of one merchant (the table keeps its first name, `admins`). */
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
  return upsertUser(db, { email, role: 'operator', merchantNo: null, passwordHash });
}

export interface NewUser {
  email: string;
  role: ConsoleRole;
  /** The merchant of a merchant user; null for an operator. */
  merchantNo: string | null;
  passwordHash: string;
}

export type UpsertUserResult = { kind: 'created' | 'reset'; user: AdminRow } | { kind: 'other-role'; user: AdminRow };

/**
 * Creates a console user with a one-time password, or gives the same user (same role and
 * merchant) a new one-time password, which ends its sessions. An email already used with another
 * role or merchant is left alone and answered `other-role`.
 */
export async function upsertUser(db: Kysely<Database>, user: NewUser): Promise<UpsertUserResult> {
  const email = user.email.toLowerCase();
  const written = await db
    .insertInto('admins')
    .values({ email, password_hash: user.passwordHash, must_change_password: true, role: user.role, merchant_no: user.merchantNo })
    .onConflict((conflict) =>
      conflict
        .column('email')
        .doUpdateSet({ password_hash: user.passwordHash, must_change_password: true, session_generation: sql`admins.session_generation + 1` })
        .where('admins.role', '=', user.role)
        .where(sql<boolean>`admins.merchant_no IS NOT DISTINCT FROM ${user.merchantNo}`),
    )
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirst();
  if (written) {
    const { inserted, ...row } = written;
    return { kind: inserted ? 'created' : 'reset', user: row };
  }
  return { kind: 'other-role', user: (await findAdminByEmail(db, email))! };
}

/** Creates a console user with a one-time password; undefined when the email is taken. */
export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<AdminRow | undefined> {
  return db
    .insertInto('admins')
    .values({ email: user.email.toLowerCase(), password_hash: user.passwordHash, must_change_password: true, role: user.role, merchant_no: user.merchantNo })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The user's own new password: no longer one-time, and every earlier session ends. */
export async function changeAdminPassword(db: Kysely<Database>, id: number, passwordHash: string): Promise<AdminRow> {
  return db
    .updateTable('admins')
    .set({ password_hash: passwordHash, must_change_password: false, session_generation: sql`session_generation + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Another user's password reset to a one-time one by an operator: its sessions end at once. */
export async function resetUserPassword(db: Kysely<Database>, id: number, passwordHash: string): Promise<AdminRow | undefined> {
  return db
    .updateTable('admins')
    .set({ password_hash: passwordHash, must_change_password: true, session_generation: sql`session_generation + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Ends every session of a user: cookies signed with the previous generation stop working. */
export async function endAdminSessions(db: Kysely<Database>, id: number) {
  await db.updateTable('admins').set({ session_generation: sql`session_generation + 1` }).where('id', '=', id).execute();
}

/**
 * Disables (its sessions end at once) or enables a user. Compare-and-set: undefined when the
 * user does not exist or already is in that state.
 */
export async function setUserDisabled(db: Kysely<Database>, id: number, disabled: boolean, now: Date): Promise<AdminRow | undefined> {
  const query = db.updateTable('admins').where('id', '=', id);
  return (
    disabled
      ? query.set({ disabled_at: now, session_generation: sql`session_generation + 1` }).where('disabled_at', 'is', null)
      : query.set({ disabled_at: null }).where('disabled_at', 'is not', null)
  )
    .returningAll()
    .executeTakeFirst();
}

export interface UserListRow {
  id: number;
  email: string;
  role: ConsoleRole;
  merchantNo: string | null;
  createdAt: Date;
  disabledAt: Date | null;
  mustChangePassword: boolean;
  hasTotp: boolean;
}

/** Every console user, operators first, then by email. Bounded: a console has tens of users, not thousands. */
export async function listUsers(db: Kysely<Database>, limit = 1000): Promise<UserListRow[]> {
  const rows = await db
    .selectFrom('admins')
    .select(['id', 'email', 'role', 'merchant_no', 'created_at', 'disabled_at', 'must_change_password', 'totp_secret_sealed'])
    .orderBy('role', 'desc')
    .orderBy('email')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    merchantNo: row.merchant_no,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    mustChangePassword: row.must_change_password,
    hasTotp: row.totp_secret_sealed !== null,
  }));
}

/**
 * Turns the second factor on with a sealed secret, recording the step of the code that confirmed
 * it (so that code cannot be used again to sign in). Only when none is on yet.
 */
export async function enrolTotp(db: Kysely<Database>, id: number, sealedSecret: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('admins')
    .set({ totp_secret_sealed: sealedSecret, totp_last_step: step })
    .where('id', '=', id)
    .where('totp_secret_sealed', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function removeTotp(db: Kysely<Database>, id: number): Promise<void> {
  await db.updateTable('admins').set({ totp_secret_sealed: null, totp_last_step: null }).where('id', '=', id).execute();
}

/**
 * Accepts a TOTP code's time step once: compare-and-set on the last accepted step, so the same
 * code (or an older one) is refused, even when two nodes see it at the same moment.
 */
export async function useTotpStep(db: Kysely<Database>, id: number, step: number): Promise<boolean> {
  const row = await db
    .updateTable('admins')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where('totp_secret_sealed', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function hasAdmins(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('admins').select('id').limit(1).executeTakeFirst()) !== undefined;
}
