import { sql, type Kysely } from 'kysely';

/**
 * Secret rotation (issue 11): when the merchant first signs a request with its new secret, so
 * that what the gateway sends stays signed with the old one until then (or the grace ends).
 * Receipts: the cashier language the customer paid in, so the receipt email speaks it too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE merchants ADD COLUMN active_secret_used_at timestamptz`.execute(db);
  await sql`ALTER TABLE orders ADD COLUMN paid_locale text`.execute(db);
}
