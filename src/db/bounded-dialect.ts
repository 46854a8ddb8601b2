import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { DatabaseUnavailableError, type DatabaseHealth } from './health.ts';

/**
 * A dialect whose every wait is bounded and whose failures are sorted by `health`. The embedded
 * database needs it: PGlite has no timeout of its own, and once it cannot write its folder (a WAL
 * write refused) it never answers again, which would hang every request behind it.
 */
export function boundedDialect(inner: Dialect, health: DatabaseHealth, timeoutMs: number): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new BoundedDriver(inner.createDriver(), health, timeoutMs),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}

/** `work`, or a DatabaseUnavailableError after `timeoutMs`; any failure sorted by `health`. */
async function bounded<T>(work: Promise<T>, health: DatabaseHealth, timeoutMs: number, what: string): Promise<T> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`database unreachable: ${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([work, timeout]);
    health.succeeded(startedAt);
    return result;
  } catch (error) {
    throw health.classify(error, startedAt);
  } finally {
    clearTimeout(timer);
  }
}

class BoundedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly health: DatabaseHealth,
    private readonly timeoutMs: number,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return bounded(this.inner.executeQuery<R>(query), this.health, this.timeoutMs, 'a query');
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class BoundedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly health: DatabaseHealth,
    private readonly timeoutMs: number,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const acquiring = this.inner.acquireConnection();
    try {
      return new BoundedConnection(await bounded(acquiring, this.health, this.timeoutMs, 'getting a connection'), this.health, this.timeoutMs);
    } catch (error) {
      // A connection that arrives after we gave up goes straight back, or the queue behind it stalls.
      acquiring.then((late) => this.inner.releaseConnection(late)).catch(() => {});
      throw error;
    }
  }

  // Transactions run their BEGIN, COMMIT and ROLLBACK through the bounded connection.
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as BoundedConnection).inner);
  }

  destroy() {
    return this.inner.destroy();
  }
}
