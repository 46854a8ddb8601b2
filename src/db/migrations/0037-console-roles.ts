import { sql, type Kysely } from 'kysely';

/**
 * Merchant roles (issue 24): the one `merchant` role becomes `merchant-admin` (what it could do
 * before: read, export, refund, close, rotate, settings), and `merchant-viewer` (read and export
 * only) is added. Every existing merchant user becomes a merchant-admin, so nobody loses a right.
 * Audit rows keep the role they were written with (the log is never changed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE admins DROP CONSTRAINT IF EXISTS admins_merchant_user_has_merchant`.execute(db);
  await sql`ALTER TABLE admins DROP CONSTRAINT IF EXISTS admins_role_check`.execute(db);
  await sql`UPDATE admins SET role = 'merchant-admin' WHERE role = 'merchant'`.execute(db);
  await sql`ALTER TABLE admins ADD CONSTRAINT admins_role_check CHECK (role IN ('operator', 'merchant-admin', 'merchant-viewer'))`.execute(db);
  await sql`
    ALTER TABLE admins ADD CONSTRAINT admins_merchant_user_has_merchant
    CHECK ((role IN ('merchant-admin', 'merchant-viewer') AND merchant_no IS NOT NULL) OR (role = 'operator' AND merchant_no IS NULL))`.execute(db);
}
