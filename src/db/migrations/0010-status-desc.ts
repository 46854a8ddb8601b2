import { sql, type Kysely } from 'kysely';

/**
 * An order's `status_desc` must agree with its status: an open order (0015) is CREATED or
 * PROCESSING and nothing else, each final status has its one desc (FAILED carries a reason).
 * The same for refunds. Mirrors domain/order-status.ts and domain/refund-status.ts; a value
 * written here, and not there, must be added to both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE orders ADD CONSTRAINT orders_status_desc_check CHECK (
      CASE status
        WHEN '0015' THEN status_desc IN ('CREATED', 'PROCESSING')
        WHEN '0000' THEN status_desc = 'SUCCESS'
        WHEN '00029' THEN status_desc LIKE 'FAILED: %'
        WHEN '00030' THEN status_desc = 'EXPIRED'
        WHEN '00031' THEN status_desc = 'CLOSED'
        ELSE false
      END)`.execute(db);
  await sql`
    ALTER TABLE refunds ADD CONSTRAINT refunds_status_desc_check CHECK (
      CASE status
        WHEN '0015' THEN status_desc = 'PROCESSING'
        WHEN '0000' THEN status_desc = 'SUCCESS'
        WHEN '00029' THEN status_desc LIKE 'FAILED: %'
        ELSE false
      END)`.execute(db);
}
