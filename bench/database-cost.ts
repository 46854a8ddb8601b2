/** What the database spent on the bench's payments: WAL by relation and record (pg_walinspect), statements' planning and execution time (pg_stat_statements). */
import pg from 'pg';

export interface WalShare {
  /** The table or index the record's first block belongs to, or the resource manager (Transaction: commits). */
  relation: string;
  /** Resource manager and record type, e.g. Heap/HOT_UPDATE, Btree/INSERT_LEAF. */
  record: string;
  recordsPerPayment: number;
  /** Bytes per payment: the records' own bodies, and the full-page images they carry. */
  bodyBytes: number;
  fpiBytes: number;
}

/** Runs `work` on a connection of its own to the database at `url`. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A WAL record of this database's relations, or a commit or abort (which names none). */
const OF_THIS_DATABASE = `(block_ref ~ ('rel \\d+/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/') OR resource_manager = 'Transaction')`;

/**
 * Where the WAL written since `from` went, per payment: each record read back with pg_walinspect
 * (PostgreSQL contrib, 15 or later; only this database's records and the commits; the extension is created in the database at `url`, which
 * needs a superuser) and grouped by the relation of its first block and its record type.
 */
export async function walBreakdown(url: string, from: string, payments: number): Promise<WalShare[]> {
  return withClient(url, async (client) => {
    const to = (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const { rows } = await client.query<{ relation: string; record: string; records: string; body: string; fpi: string }>(
      `WITH since AS (SELECT * FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) WHERE ${OF_THIS_DATABASE})
       SELECT coalesce(pg_filenode_relation(0, (regexp_match(block_ref, 'rel \\d+/\\d+/(\\d+)'))[1]::oid)::text, resource_manager) AS relation,
              resource_manager || '/' || record_type AS record,
              count(*)::text AS records, sum(record_length - fpi_length)::text AS body, sum(fpi_length)::text AS fpi
         FROM since GROUP BY 1, 2 ORDER BY sum(record_length) DESC`,
      [from, to],
    );
    const per = (value: string) => Math.round((Number(value) / payments) * 100) / 100;
    return rows.map((row) => ({ relation: row.relation, record: row.record, recordsPerPayment: per(row.records), bodyBytes: per(row.body), fpiBytes: per(row.fpi) }));
  });
}

/**
 * WAL bytes written since `from` for the database at `url` alone: the records that touch its
 * relations, and the commit and abort records (which name no relation; another database's
 * autovacuum adds a few). The server's WAL position alone also counts what autovacuum writes in
 * the other databases of the same server meanwhile.
 */
export async function walOfDatabase(url: string, from: string): Promise<number> {
  return withClient(url, async (client) => {
    const to = (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT coalesce(sum(record_length), 0)::text AS bytes FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
        WHERE ${OF_THIS_DATABASE}`,
      [from, to],
    );
    return Number(rows[0]!.bytes);
  });
}

export function formatWalBreakdown(shares: readonly WalShare[]): string {
  const total = (pick: (share: WalShare) => number) => Math.round(shares.reduce((sum, share) => sum + pick(share), 0));
  const lines = [`  WAL by relation and record, per payment: ${total((s) => s.bodyBytes)} B of record bodies, ${total((s) => s.fpiBytes)} B of full-page images`];
  for (const share of shares) {
    lines.push(`    ${String(Math.round(share.bodyBytes + share.fpiBytes)).padStart(6)} B  ${share.recordsPerPayment.toFixed(2).padStart(5)} × ${share.record.padEnd(26)} ${share.relation}${share.fpiBytes ? ` (FPI ${Math.round(share.fpiBytes)} B)` : ''}`);
  }
  return lines.join('\n');
}

/** pg_stat_statements for `startPostgres({ settings })`: planning time counted too. */
export const STATEMENT_STATS = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' };

/** Forgets the statements' times so far (the extension is created in the database at `url` first). */
export async function resetStatementTimes(url: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

/** PostgreSQL's planning and execution time per payment since the reset, by statement, the costliest first (the bench's own reads left out). */
export async function formatStatementTimes(url: string, payments: number): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ calls: string; plan: number; exec: number; query: string }>(
      `SELECT calls::text, total_plan_time / $1 AS plan, total_exec_time / $1 AS exec, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls > 0
          AND query !~ 'pg_get_wal_records_info|pg_stat_|xact_commit|EXTENSION'
        ORDER BY total_plan_time + total_exec_time DESC LIMIT 10`,
      [payments],
    );
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0).toFixed(2);
    const lines = [`  PostgreSQL's time per payment, by statement: ${sum((row) => row.plan)} ms planning, ${sum((row) => row.exec)} ms executing`];
    for (const row of rows) lines.push(`    plan ${row.plan.toFixed(3)} ms, run ${row.exec.toFixed(3)} ms, ${row.calls.padStart(4)} calls  ${row.query}`);
    return lines.join('\n');
  });
}
