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

/** A WAL record of this database's relations, or a commit or abort (which names none). */
const OF_THIS_DATABASE = `(block_ref ~ ('rel \\d+/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/') OR resource_manager = 'Transaction')`;

/**
 * Where the WAL written since `from` went, per payment: each record read back with pg_walinspect
 * (PostgreSQL contrib, 15 or later; only this database's records and the commits; the extension is created in the database at `url`, which
 * needs a superuser) and grouped by the relation of its first block and its record type.
 */
export async function walBreakdown(url: string, from: string, payments: number): Promise<WalShare[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
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
  } finally {
    await client.end();
  }
}

/**
 * WAL bytes written since `from` for the database at `url` alone: the records that touch its
 * relations, and the commit and abort records (which name no relation; another database's
 * autovacuum adds a few). The server's WAL position alone also counts what autovacuum writes in
 * the other databases of the same server meanwhile.
 */
export async function walOfDatabase(url: string, from: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const to = (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT coalesce(sum(record_length), 0)::text AS bytes FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
        WHERE ${OF_THIS_DATABASE}`,
      [from, to],
    );
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

export function formatWalBreakdown(shares: readonly WalShare[]): string {
  const total = (pick: (share: WalShare) => number) => Math.round(shares.reduce((sum, share) => sum + pick(share), 0));
  const lines = [`  WAL by relation and record, per payment: ${total((s) => s.bodyBytes)} B of record bodies, ${total((s) => s.fpiBytes)} B of full-page images`];
  for (const share of shares) {
    lines.push(`    ${String(Math.round(share.bodyBytes + share.fpiBytes)).padStart(6)} B  ${share.recordsPerPayment.toFixed(2).padStart(5)} × ${share.record.padEnd(26)} ${share.relation}${share.fpiBytes ? ` (FPI ${Math.round(share.fpiBytes)} B)` : ''}`);
  }
  return lines.join('\n');
}
