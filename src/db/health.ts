/**
 * Whether the database can be reached, learned from the queries the process makes anyway (no
 * polling). An outage is announced once when the first query fails for lack of a database and
 * once more when a query started after that succeeds, so a hundred requests failing during an
 * outage make two log lines, not a hundred.
 */

/** The database could not be reached (refused, dropped, timed out, shutting down): retry later. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** SQLSTATEs that mean "no database to talk to right now", not "your query is wrong". */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: the server is stopping (fast shutdown, restart)
  '57P02', // crash_shutdown: another backend crashed, this one is being reset
  '57P03', // cannot_connect_now: starting up or shutting down
  '57014', // query_canceled: statement_timeout, our bound on a query
  '25006', // read_only_sql_transaction: a write reached a standby or a demoted primary (failover)
  '53300', // too_many_connections
  '53100', // disk_full
  '58030', // io_error
]);

/** Socket errors of a connection that failed or broke. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * What node-postgres says when a connection ends, a connect or a query times out; and what
 * PostgreSQL (embedded or not) says when it cannot write its own files.
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection ended|connection (is )?closed|Client was closed|could not (write|create|extend|fsync)[^"]* (file|log file) "/i;

export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

export type HealthChange = { reachable: false; error: Error } | { reachable: true; downForMs: number };

export class DatabaseHealth {
  #downSince: number | undefined;
  /** When the last outage ended: a connection opened before it cannot report a new one. */
  #recoveredAt = Number.NEGATIVE_INFINITY;
  readonly #listeners = new Set<(change: HealthChange) => void>();

  constructor(private readonly clock: () => number = Date.now) {}

  get reachable(): boolean {
    return this.#downSince === undefined;
  }

  /** Hears each change once: down with its first error, up with how long it was down. */
  onChange(listener: (change: HealthChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sorts an error from the driver: a lost database becomes a DatabaseUnavailableError (and marks
   * an outage); any other error is the database answering, so it proves the database is there.
   */
  classify(error: unknown, startedAt: number, connectedAt?: number): unknown {
    if (!isUnavailable(error)) {
      this.succeeded(startedAt);
      return error;
    }
    this.failed(error as Error, connectedAt);
    if (error instanceof DatabaseUnavailableError) return error;
    return new DatabaseUnavailableError(`database unreachable: ${(error as Error).message}`, { cause: error });
  }

  /**
   * An outage begins, unless the error came from a connection opened before the last outage
   * ended (`connectedAt`): such a connection died in that outage and says nothing about now.
   */
  failed(error: Error, connectedAt?: number): void {
    if (this.#downSince !== undefined) return;
    if (connectedAt !== undefined && connectedAt < this.#recoveredAt) return;
    this.#downSince = this.clock();
    this.#emit({ reachable: false, error });
  }

  /** A query that began before the outage was noticed proves nothing about now. */
  succeeded(startedAt: number): void {
    if (this.#downSince === undefined || startedAt < this.#downSince) return;
    const downForMs = this.clock() - this.#downSince;
    this.#downSince = undefined;
    this.#recoveredAt = this.clock();
    this.#emit({ reachable: true, downForMs });
  }

  /** The clock outages are timed by, for stamping when a connection was opened. */
  now(): number {
    return this.clock();
  }

  #emit(change: HealthChange) {
    for (const listener of this.#listeners) listener(change);
  }
}
