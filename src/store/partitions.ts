import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The tables partitioned by month (migrations 0033 and 0034), each by the UTC month of one timestamptz column. */
export const PARTITIONED_TABLES = ['orders', 'order_events', 'payment_attempts', 'notification_attempts', 'ledger_entries'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Months after the current one that always have their partition (the migrations make the same number). */
export const MONTHS_AHEAD = 3;

/** Advisory lock space of the partition sweep (1 and 2 are the card-testing caps in store/attempts.ts). */
const PARTITION_LOCK = 3;

/** The first day (UTC) of the month `monthsLater` after the month of `at`, as YYYY-MM-DD. */
export function monthStart(at: Date, monthsLater = 0): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + monthsLater, 1)).toISOString().slice(0, 10);
}

/** The name a table's partition for the month of `at` has: orders_y2026m11. */
export const partitionName = (table: PartitionedTable, at: Date) => {
  const [year, month] = monthStart(at).split('-');
  return `${table}_y${year}m${month}`;
};

/**
 * Makes sure every partitioned table has a partition for the month of `now` and each of the
 * `monthsAhead` months after it, so no insert ever finds its month missing. Answers the partitions
 * it made (none when they all exist). Several nodes may run it at once: the one that gets the
 * advisory lock does the work and the others skip (they find it done next time); each partition
 * is made in this transaction or not at all, so a node killed midway leaves nothing half made.
 * A lock wait on a busy table gives up after `lock_timeout` rather than stall the inserts queued
 * behind it; the next run tries again.
 */
export async function createPartitionsAhead(db: Kysely<Database>, now: Date, monthsAhead: number): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${PARTITION_LOCK}, 0) AS locked`.execute(trx);
    if (!lock.rows[0]?.locked) return [];
    await sql`SET LOCAL lock_timeout = '5s'`.execute(trx);
    const made: string[] = [];
    for (let month = 0; month <= monthsAhead; month++) {
      for (const table of PARTITIONED_TABLES) {
        const result = await sql<{ made: boolean }>`SELECT payrail_ensure_month_partition(${table}, ${monthStart(now, month)}::date) AS made`.execute(trx);
        if (result.rows[0]?.made) made.push(partitionName(table, new Date(monthStart(now, month))));
      }
    }
    return made;
  });
}

export interface PartitionRow {
  table: string;
  partition: string;
  /** The partition's bound as PostgreSQL writes it: FOR VALUES FROM (...) TO (...). */
  bound: string;
  rows: number;
}

/** Each partition of the partitioned tables with its bound and its number of rows, by table and month: what an operator reviews before retiring a month. */
export async function listPartitions(db: Kysely<Database>): Promise<PartitionRow[]> {
  const partitions = await sql<Omit<PartitionRow, 'rows'>>`
    SELECT parent.relname AS table, child.relname AS partition, pg_get_expr(child.relpartbound, child.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class parent ON parent.oid = i.inhparent
      JOIN pg_class child ON child.oid = i.inhrelid
      JOIN pg_partitioned_table p ON p.partrelid = parent.oid
     WHERE parent.relname IN (${sql.join([...PARTITIONED_TABLES])})
     ORDER BY parent.relname, child.relname`.execute(db);
  const counted: PartitionRow[] = [];
  for (const row of partitions.rows) {
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(row.partition)}`.execute(db);
    counted.push({ ...row, rows: count.rows[0]?.n ?? 0 });
  }
  return counted;
}
