import { sql, type Kysely } from 'kysely';

/**
 * A connector is one folder plus one registry line (src/acquirers/README.md): the columns that
 * record a connector's name no longer list the names (0016, 0035, 0038), which a new connector would
 * have to extend; they check the form of a name instead. Which names exist is the registry's
 * (src/acquirers/index.ts): the CLI and configuration refuse any other.
 */
const NAME = '^[a-z][a-z0-9_]{0,31}$';
const NAME_LIST = '^[a-z][a-z0-9_]{0,31}(,[a-z][a-z0-9_]{0,31})*$';

/** The CHECK constraints of a table that list the connector names, whatever they were called (0033 rebuilt payment_attempts). */
async function dropNameLists(db: Kysely<unknown>, table: string) {
  const { rows } = await sql<{ name: string }>`
    SELECT conname AS name FROM pg_constraint
     WHERE conrelid = ${table}::regclass AND contype = 'c' AND conislocal AND pg_get_constraintdef(oid) LIKE '%''stripe''%'`.execute(db);
  for (const { name } of rows) await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(name)}`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['payment_attempts', 'payouts', 'acquirer_events', 'merchants', 'disputes']) await dropNameLists(db, table);
  await sql`ALTER TABLE disputes ADD CONSTRAINT disputes_processor_name CHECK (processor ~ ${sql.lit(NAME)})`.execute(db);
  await sql`ALTER TABLE payment_attempts ADD CONSTRAINT payment_attempts_acquirer_name CHECK (acquirer ~ ${sql.lit(NAME)})`.execute(db);
  await sql`ALTER TABLE payouts ADD CONSTRAINT payouts_acquirer_name CHECK (acquirer ~ ${sql.lit(NAME)})`.execute(db);
  await sql`ALTER TABLE acquirer_events ADD CONSTRAINT acquirer_events_acquirer_name CHECK (acquirer ~ ${sql.lit(NAME)})`.execute(db);
  await sql`ALTER TABLE merchants ADD CONSTRAINT merchants_acquirers_names
              CHECK (acquirers IS NULL OR (cardinality(acquirers) BETWEEN 1 AND 4 AND array_to_string(acquirers, ',') ~ ${sql.lit(NAME_LIST)}))`.execute(db);
}
