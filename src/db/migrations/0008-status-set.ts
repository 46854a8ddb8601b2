import { sql, type Kysely } from 'kysely';

/**
 * Each merchant's status set (docs/api.md, "Status set per merchant"). Existing merchants get
 * `family`, like new ones: an operator whose merchants rely on 00030 and 00031 chooses
 * `extended` for them (README, "Upgrading").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE merchants
      ADD COLUMN status_set text NOT NULL DEFAULT 'family' CHECK (status_set IN ('family', 'extended'))`.execute(db);
}
