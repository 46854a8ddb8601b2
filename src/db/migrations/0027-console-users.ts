import { sql, type Kysely } from 'kysely';

/**
 * Console users (issue 12): the `admins` table becomes the console's users. Each has a role,
 * `operator` (every merchant) or `merchant` (one merchant, named by `merchant_no`); a CHECK holds
 * that a merchant user has a merchant and an operator has none. Every existing row is an
 * operator, as before. A disabled user (`disabled_at` set) cannot sign in and its sessions end.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE admins ADD COLUMN role text NOT NULL DEFAULT 'operator' CHECK (role IN ('operator', 'merchant'))`.execute(db);
  await sql`ALTER TABLE admins ADD COLUMN merchant_no text REFERENCES merchants (merchant_no)`.execute(db);
  await sql`
    ALTER TABLE admins ADD CONSTRAINT admins_merchant_user_has_merchant
    CHECK ((role = 'merchant' AND merchant_no IS NOT NULL) OR (role = 'operator' AND merchant_no IS NULL))`.execute(db);
  await sql`ALTER TABLE admins ADD COLUMN disabled_at timestamptz`.execute(db);
  await sql`CREATE INDEX admins_by_merchant ON admins (merchant_no) WHERE merchant_no IS NOT NULL`.execute(db);
}
