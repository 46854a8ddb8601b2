import { sql, type Kysely } from 'kysely';

/**
 * How migrations 0033 and 0034 turn an existing table into a table partitioned by month, keeping
 * its rows: the old table is renamed aside, a partitioned table is made LIKE it (columns, defaults,
 * NOT NULL and CHECK constraints, comments), one partition per month the rows need plus the
 * current month and MONTHS_AHEAD after it, the rows are copied, the old table dropped, and its
 * indexes made again on the partitioned table, where each becomes one small index per partition.
 *
 * Indexes are carried over by their own definitions (pg_get_indexdef) and comments, so an index
 * another migration added before this one (the console's filters on orders) ends up on the
 * partitioned table too. The primary key and unique indexes are given by the caller: on a
 * partitioned table they must include the partition key.
 *
 * Frozen with the migrations that use it: change it only by adding a new migration.
 */

/** Months after the current one that have a partition already; the `create partitions ahead` sweep keeps it so. */
export const MONTHS_AHEAD = 3;

export interface PartitionSpec {
  table: string;
  /** The timestamptz column whose UTC month picks the partition. */
  key: string;
  /** Columns to add to the new table (e.g. a copy of the order's creation time), as `name type`. */
  addColumns?: string[];
  /** What fills the new table: a SELECT over `old` (the table renamed aside) in the new table's column order. */
  copy: string;
  primaryKey: string[];
  /** Unique indexes to make instead of the old ones, each with its comment. */
  uniques?: Array<{ name: string; definition: string; comment: string | null }>;
  /** Non-constraint indexes of the old table not to carry over (replaced by `uniques`). */
  dropIndexes?: string[];
  /** The bigserial column whose sequence must outlive the old table. */
  serial?: string;
}

interface SavedIndex {
  name: string;
  definition: string;
  comment: string | null;
}

/** Creates the function that makes one month's partition of a table, if missing (also used by store/partitions.ts). */
export async function createPartitionFunction(db: Kysely<unknown>): Promise<void> {
  // Bounds are UTC midnights written with their offset, so the session's TimeZone cannot move them.
  await sql`
    CREATE OR REPLACE FUNCTION payrail_ensure_month_partition(parent text, month date) RETURNS boolean
    LANGUAGE plpgsql AS $$
    DECLARE
      first date := date_trunc('month', month)::date;
      name text := parent || '_' || to_char(first, '"y"YYYY"m"MM');
    BEGIN
      IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent,
                     to_char(first::timestamp, 'YYYY-MM-DD HH24:MI:SS') || '+00',
                     to_char((first + interval '1 month')::timestamp, 'YYYY-MM-DD HH24:MI:SS') || '+00');
      RETURN true;
    END $$`.execute(db);
}

export async function partitionByMonth(db: Kysely<unknown>, spec: PartitionSpec): Promise<void> {
  const table = spec.table;
  const old = `${table}_before_partitioning`;
  const indexes = await sql<SavedIndex & { is_unique: boolean }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
           obj_description(i.indexrelid, 'pg_class') AS comment, i.indisunique AS is_unique
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = ${table}::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
     ORDER BY c.relname`.execute(db);
  const carried = indexes.rows.filter((index) => !(spec.dropIndexes ?? []).includes(index.name));
  const unexpected = carried.filter((index) => index.is_unique);
  if (unexpected.length > 0) throw new Error(`cannot partition ${table}: unique index ${unexpected[0]!.name} lacks the partition key`);
  const outgoing = await sql<{ name: string; definition: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = ${table}::regclass AND contype = 'f' ORDER BY conname`.execute(db);
  const tableComment = await sql<{ comment: string | null }>`SELECT obj_description(${table}::regclass, 'pg_class') AS comment`.execute(db);

  await sql`ALTER TABLE ${sql.id(table)} RENAME TO ${sql.id(old)}`.execute(db);
  const added = (spec.addColumns ?? []).map((column) => sql.raw(`, ${column}`));
  await sql`
    CREATE TABLE ${sql.id(table)} (LIKE ${sql.id(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS INCLUDING STORAGE
      ${sql.join(added, sql``)})
    PARTITION BY RANGE (${sql.id(spec.key)})`.execute(db);

  const copy = sql.raw(spec.copy.replaceAll(/\bold\b/g, old));
  const span = await sql<{ first: string; last: string }>`
    SELECT to_char(least(date_trunc('month', min(k) AT TIME ZONE 'UTC'), date_trunc('month', now() AT TIME ZONE 'UTC')), 'YYYY-MM-DD') AS first,
           to_char(greatest(date_trunc('month', max(k) AT TIME ZONE 'UTC'),
                            date_trunc('month', now() AT TIME ZONE 'UTC') + ${sql.lit(MONTHS_AHEAD)} * interval '1 month'), 'YYYY-MM-DD') AS last
      FROM (SELECT ${sql.id(spec.key)} AS k FROM (${copy}) AS rows) AS keys`.execute(db);
  await sql`
    SELECT payrail_ensure_month_partition(${table}, month::date)
      FROM generate_series(${span.rows[0]!.first}::date, ${span.rows[0]!.last}::date, interval '1 month') AS month`.execute(db);
  await sql`INSERT INTO ${sql.id(table)} ${copy}`.execute(db);

  if (spec.serial) {
    const sequence = await sql<{ name: string }>`SELECT pg_get_serial_sequence(${old}, ${spec.serial}) AS name`.execute(db);
    const name = sql.raw(sequence.rows[0]!.name);
    await sql`ALTER SEQUENCE ${name} OWNED BY NONE`.execute(db);
    await sql`DROP TABLE ${sql.id(old)}`.execute(db);
    await sql`ALTER SEQUENCE ${name} OWNED BY ${sql.id(table)}.${sql.id(spec.serial)}`.execute(db);
  } else {
    await sql`DROP TABLE ${sql.id(old)}`.execute(db);
  }

  await sql`ALTER TABLE ${sql.id(table)} ADD CONSTRAINT ${sql.id(`${table}_pkey`)} PRIMARY KEY (${sql.join(spec.primaryKey.map((column) => sql.id(column)))})`.execute(db);
  for (const unique of spec.uniques ?? []) {
    await sql.raw(unique.definition).execute(db);
    if (unique.comment) await sql`COMMENT ON INDEX ${sql.id(unique.name)} IS ${sql.lit(unique.comment)}`.execute(db);
  }
  for (const index of carried) {
    await sql.raw(index.definition).execute(db);
    if (index.comment) await sql`COMMENT ON INDEX ${sql.id(index.name)} IS ${sql.lit(index.comment)}`.execute(db);
  }
  for (const key of outgoing.rows) {
    await sql`ALTER TABLE ${sql.id(table)} ADD CONSTRAINT ${sql.id(key.name)} ${sql.raw(key.definition.replace(/REFERENCES orders\(/, 'REFERENCES order_keys('))}`.execute(db);
  }
  if (tableComment.rows[0]?.comment) await sql`COMMENT ON TABLE ${sql.id(table)} IS ${sql.lit(tableComment.rows[0].comment)}`.execute(db);
}

/** Drops the foreign keys that point at `table` and answers how to make them again. */
export async function dropForeignKeysTo(db: Kysely<unknown>, table: string): Promise<Array<{ table: string; name: string; definition: string }>> {
  const keys = await sql<{ table: string; name: string; definition: string }>`
    SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE confrelid = ${table}::regclass AND contype = 'f' ORDER BY 1, 2`.execute(db);
  for (const key of keys.rows) await sql`ALTER TABLE ${sql.raw(key.table)} DROP CONSTRAINT ${sql.id(key.name)}`.execute(db);
  return keys.rows;
}
