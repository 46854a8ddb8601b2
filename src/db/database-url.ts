import { parse as parseConnectionString } from 'pg-connection-string';
import type pg from 'pg';

/**
 * DATABASE_URL and DATABASE_READ_URL as the gateway reads them: libpq's URL, including its
 * multi-host form `postgres://user@h1:5432,h2:5433/payrail?target_session_attrs=read-write`,
 * which node-postgres does not understand. The hosts are kept as a list and everything else is
 * parsed by pg-connection-string, the driver's own parser, from a one-host copy of the URL.
 */
export interface DatabaseHost {
  readonly host: string;
  readonly port: number;
}

/**
 * Which server of the list a connection must land on, as libpq's `target_session_attrs`:
 * `read-write` and `primary` want a server that takes writes, `read-only` and `standby` one
 * that does not, `prefer-standby` a standby when one answers, else any; `any` takes the first
 * that answers and checks nothing.
 */
export type SessionTarget = 'any' | 'read-write' | 'primary' | 'read-only' | 'standby' | 'prefer-standby';
const SESSION_TARGETS: readonly SessionTarget[] = ['any', 'read-write', 'primary', 'read-only', 'standby', 'prefer-standby'];

export interface DatabaseTarget {
  /** In the order given: the first that fits is used, as libpq does. */
  readonly hosts: readonly DatabaseHost[];
  /** Everything the driver needs but the host and port (user, password, database, ssl). */
  readonly connection: Readonly<pg.ClientConfig>;
  readonly sessionTarget: SessionTarget;
  /**
   * `pgbouncer=transaction` in the URL: a pooler in transaction mode is in between, so nothing
   * may live in a session (no named prepared statements, no statement_timeout at start-up).
   */
  readonly transactionPooler: boolean;
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/** scheme, user info, the host list, then path and query. */
const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/s;
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s/]*)(?::(\d{1,5}))?$/;

/**
 * Throws DatabaseUrlError with a message that never repeats the URL (it may hold a password).
 * `writes`: the URL is the gateway's own (DATABASE_URL), which must land on a server that takes
 * writes: with several hosts and no target_session_attrs that means read-write, and a target that
 * would pick a standby is refused.
 */
export function parseDatabaseUrl(url: string, options: { writes?: boolean } = {}): DatabaseTarget {
  const parts = URL_PARTS.exec(url);
  if (!parts) throw new DatabaseUrlError('it must start with postgres:// or postgresql://');
  const [, scheme, userInfo = '', hostList, rest] = parts as unknown as [string, string, string | undefined, string, string];
  // No host in the authority: one host from the driver's own reading (`?host=/run/postgresql`).
  if (hostList === '') return oneServer(url);
  const hosts = hostList.split(',').map((entry, index) => parseHost(entry, index));
  const query = new URLSearchParams(rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : '');
  const given = query.get('target_session_attrs');
  const sessionTarget = (given ?? (options.writes && hosts.length > 1 ? 'read-write' : 'any')) as SessionTarget;
  if (!SESSION_TARGETS.includes(sessionTarget)) {
    throw new DatabaseUrlError(`target_session_attrs must be one of ${SESSION_TARGETS.join(', ')}`);
  }
  if (options.writes && !(sessionTarget === 'read-write' || sessionTarget === 'primary' || (sessionTarget === 'any' && hosts.length === 1))) {
    throw new DatabaseUrlError(
      `target_session_attrs=${sessionTarget} could send the gateway's writes to a standby; with several hosts use read-write (the default) or primary`,
    );
  }
  const pooler = query.get('pgbouncer');
  if (pooler !== null && pooler !== 'transaction') throw new DatabaseUrlError('pgbouncer must be "transaction" (the only mode that needs telling)');
  // The driver's parser sees one host and none of the parameters it would not understand.
  const [pathPart = '', queryPart] = rest.split('?', 2);
  const kept = new URLSearchParams(queryPart ?? '');
  kept.delete('target_session_attrs');
  kept.delete('pgbouncer');
  const first = hosts[0]!;
  const oneHost = `${scheme}${userInfo}${first.host.includes(':') ? `[${first.host}]` : first.host}:${first.port}${pathPart}${kept.size > 0 ? `?${kept}` : ''}`;
  const { host: _host, port: _port, ...connection } = driverParse(oneHost);
  return {
    hosts,
    connection: withoutBlanks(connection),
    sessionTarget,
    transactionPooler: pooler === 'transaction',
  };
}

function driverParse(url: string): ReturnType<typeof parseConnectionString> {
  try {
    return parseConnectionString(url);
  } catch (error) {
    throw new DatabaseUrlError(`the PostgreSQL driver cannot parse it (${(error as Error).message})`);
  }
}

/** An empty user or password in the URL means "the driver's default", as it did before. */
function withoutBlanks(connection: Record<string, unknown>): pg.ClientConfig {
  const kept = { ...connection };
  if (kept.user === '') delete kept.user;
  if (kept.password === '') delete kept.password;
  return kept as pg.ClientConfig;
}

function oneServer(url: string): DatabaseTarget {
  const { host, port, ...connection } = driverParse(url);
  if (!host) throw new DatabaseUrlError('it names no host');
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  if (query.has('target_session_attrs') || query.has('pgbouncer')) {
    throw new DatabaseUrlError('target_session_attrs and pgbouncer need the host in the URL (postgres://host:port/db?...)');
  }
  return { hosts: [{ host, port: port ? Number(port) : 5432 }], connection: withoutBlanks(connection), sessionTarget: 'any', transactionPooler: false };
}

function parseHost(entry: string, index: number): DatabaseHost {
  const match = HOST_PORT.exec(decodeURIComponent(entry));
  if (!match || match[1] === '') throw new DatabaseUrlError(`host ${index + 1} of the host list is empty or malformed; write host:port, separated by commas`);
  const port = match[2] === undefined ? 5432 : Number(match[2]);
  if (port < 1 || port > 65535) throw new DatabaseUrlError(`host ${index + 1} has port ${port}, outside 1-65535`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** What the server a connection reached says about itself. */
export interface ServerRole {
  readonly inRecovery: boolean;
  readonly readOnly: boolean;
}

/** Whether a server fits the target; `prefer-standby` is settled by the caller's two passes. */
export function fits(target: SessionTarget, role: ServerRole, pass: 'first' | 'second' = 'first'): boolean {
  switch (target) {
    case 'any':
      return true;
    case 'read-write':
      return !role.readOnly;
    case 'primary':
      return !role.inRecovery;
    case 'read-only':
      return role.readOnly;
    case 'standby':
      return role.inRecovery;
    case 'prefer-standby':
      return pass === 'second' || role.inRecovery;
  }
}

/** Whether the URL needs any server checked at all (one host, `any`: no). */
export const needsLocating = (target: DatabaseTarget) => target.hosts.length > 1 || target.sessionTarget !== 'any';
