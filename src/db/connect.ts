import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.ts';
import { DatabaseHealth, DatabaseUnavailableError } from './health.ts';
import { needsLocating, parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { HostLocator, locatedPoolOptions } from './host-locator.ts';
import { preparedNameOf, type PreparedStatement } from './prepared-statements.ts';

export type { PreparedStatement };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'pglite' | 'postgres';
  /** Whether the database answers; changes are announced once per outage. */
  readonly health: DatabaseHealth;
  /**
   * Where the console's lists, CSV exports and overview read: the replica of DATABASE_READ_URL,
   * else `db`. Nothing that decides about money reads from it.
   */
  readonly readDb: Kysely<Database>;
  /** The replica's own outages (the same as `health` without DATABASE_READ_URL). */
  readonly readHealth: DatabaseHealth;
  /** Runs a hot statement, prepared once per connection where the driver allows it. */
  readonly runPrepared: RunPrepared;
  close(): Promise<void>;
}

/**
 * Bounds on a PostgreSQL server that does not answer (README.md, "When the database is
 * away"): getting a connection, from the pool or a new one, waits at most CONNECT_TIMEOUT_MS; a
 * statement runs at most QUERY_TIMEOUT_MS, cancelled by the server (statement_timeout) and given
 * up by the client (query_timeout) if the server cannot even say so.
 */
export const CONNECT_TIMEOUT_MS = 2_000;
export const QUERY_TIMEOUT_MS = 10_000;

/** Runs a registered text (prepared-statements.ts) on a connection of its own, outside a transaction. */
export type RunPrepared = <Row>(statement: PreparedStatement, values: unknown[]) => Promise<Row[]>;

const INT8 = 20;
// bigint columns hold cents and ids far below 2^53: each driver reads them as numbers, not strings.
const readInt8 = (value: string) => Number(value);
const serverTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? readInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

/** An embedded database folder written by another PGlite data format than the one installed. */
export class DatabaseFormatError extends Error {
  override name = 'DatabaseFormatError';
}

/**
 * The PostgreSQL major version of the embedded engine (PGlite 0.5 is PostgreSQL 18). Folders
 * written by PGlite 0.4 and earlier are PostgreSQL 17: opening one with this engine could damage
 * it, so it is refused before PGlite touches it.
 */
export const EMBEDDED_POSTGRES_MAJOR = '18';

function checkEmbeddedFormat(folder: string): void {
  let written: string;
  try {
    written = fs.readFileSync(path.join(folder, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return; // a new, empty folder: PGlite creates it in its own format
  }
  if (written === EMBEDDED_POSTGRES_MAJOR) return;
  throw new DatabaseFormatError(
    `the embedded database in ${folder} is in the PostgreSQL ${written} data format of an older Payrail (PGlite 0.4 or earlier); ` +
      `this version reads format ${EMBEDDED_POSTGRES_MAJOR} and has left the folder untouched. Keep running the version that wrote it, ` +
      `or point DATA_DIR at a new folder (see README, "Upgrading the embedded database")`,
  );
}

/**
 * A PostgreSQL server when `databaseUrl` is set, the embedded PGlite in `dataDir/pgdata` otherwise.
 * `readDatabaseUrl` (DATABASE_READ_URL) opens a second pool, to a replica, for the console's reads.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  readDatabaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (!options.databaseUrl) return openEmbedded(path.join(options.dataDir, 'pgdata'));
  const max = options.poolSize ?? 10;
  const primary = openServer(parseDatabaseUrl(options.databaseUrl, { writes: true }), max, new DatabaseHealth());
  if (!options.readDatabaseUrl) return { ...primary, kind: 'postgres', readDb: primary.db, readHealth: primary.health };
  const replica = openServer(parseDatabaseUrl(options.readDatabaseUrl), max, new DatabaseHealth());
  return {
    ...primary,
    kind: 'postgres',
    readDb: replica.db,
    readHealth: replica.health,
    close: async () => {
      await Promise.all([primary.close(), replica.close()]);
    },
  };
}

interface ServerPool {
  readonly db: Kysely<Database>;
  readonly health: DatabaseHealth;
  readonly runPrepared: RunPrepared;
  close(): Promise<void>;
}

function openServer(target: DatabaseTarget, max: number, health: DatabaseHealth): ServerPool {
  // Several hosts or a target_session_attrs: connections go where the locator says (libpq's way).
  const locator = needsLocating(target) ? new HostLocator(target, Math.max(250, Math.floor(CONNECT_TIMEOUT_MS / target.hosts.length))) : undefined;
  const pool = new pg.Pool({
    ...target.connection,
    ...target.hosts[0],
    ...(locator ? locatedPoolOptions(locator) : {}),
    max,
    types: serverTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS + 1_000,
    // Behind a pooler in transaction mode a start-up parameter would be refused (pgbouncer 1.18)
    // or would outlive this session on a shared server connection: the pooler sets it instead
    // (README.md, "Behind pgbouncer"), and query_timeout still bounds the wait here.
    ...(target.transactionPooler ? {} : { statement_timeout: QUERY_TIMEOUT_MS }),
    keepAlive: true,
  });
  // A client emits 'error' when its server goes away, idle or checked out, and an 'error' event
  // with no listener ends the process. The pool listens only while a client is idle, so every
  // client gets a listener of its own as it connects; the query in flight reports the error too.
  const connectedAt = new WeakMap<pg.PoolClient, number>();
  pool.on('connect', (client) => {
    connectedAt.set(client, health.now());
    client.on('error', (error) => health.failed(error, connectedAt.get(client)));
  });
  pool.on('error', (error) => health.failed(error));
  // A named statement lives in one server session; through a transaction-mode pooler the next
  // call may land on another, so there every statement is sent unnamed (parsed each time).
  const guarded = guardPool(pool, health, connectedAt, () => locator?.forgetCurrent(), !target.transactionPooler);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: guarded }) });
  const runPrepared: RunPrepared = async <Row>(statement: PreparedStatement, values: unknown[]) => {
    const client = (await guarded.connect()) as unknown as GuardedClient;
    try {
      return (await client.query(statement.text, values)).rows as Row[];
    } finally {
      client.release();
    }
  };
  return { db, health, runPrepared, close: () => db.destroy() };
}

/**
 * The pool as Kysely sees it, with every failure sorted once: a lost database becomes a
 * DatabaseUnavailableError and a client that failed that way is thrown away, not reused.
 */
function guardPool(pool: pg.Pool, health: DatabaseHealth, connectedAt: WeakMap<pg.PoolClient, number>, onLost: () => void, prepares: boolean): PostgresPool {
  const guarded = new WeakMap<pg.PoolClient, GuardedClient>();
  return {
    async connect() {
      const startedAt = Date.now();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        const sorted = health.classify(error, startedAt);
        if (sorted instanceof DatabaseUnavailableError) onLost();
        throw sorted;
      }
      let wrapper = guarded.get(client);
      if (!wrapper) guarded.set(client, (wrapper = new GuardedClient(client, health, onLost, connectedAt.get(client), prepares)));
      // Kysely streams through a cursor only when given one; it is not, so plain queries suffice.
      return wrapper as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/**
 * How the session plans a statement with parameters (docs/performance.md, "Fifth round"). A
 * named statement runs its generic plan (planned once per connection; its partitions pruned at
 * run time): PostgreSQL's own choice would plan it anew each call, as a generic plan's estimate
 * counts every monthly partition. An unnamed statement is planned for its values, as it always
 * was: `force_generic_plan` would apply to it too (PostgreSQL 15 plans an unnamed statement
 * generically under it), and a generic plan cannot use a partial index whose condition is a
 * parameter's value. So the session is switched only when the kind of statement changes.
 */
const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';
const CUSTOM_PLANS = 'SET plan_cache_mode = auto';

class GuardedClient {
  #broken = false;
  /**
   * Whether the session plans generically, as last set here; undefined when a rollback or an
   * error may have undone the last SET (a SET inside a transaction ends with it).
   */
  #generic: boolean | undefined = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly health: DatabaseHealth,
    /** The server is gone or no longer the right one: where to connect is decided again. */
    private readonly onLost: () => void,
    /** When the connection was opened: an error on one older than the last recovery is stale. */
    private readonly connectedAt: number | undefined,
    /** Whether registered texts go as named prepared statements (not behind a transaction-mode pooler). */
    private readonly prepares: boolean,
  ) {}

  /** Kysely's call (text and parameters): a registered text goes under its name. */
  query(text: string, parameters: readonly unknown[] = []) {
    const startedAt = Date.now();
    return this.#send(text, parameters).then(
      (result) => {
        this.health.succeeded(startedAt);
        return result;
      },
      (error: unknown) => {
        this.#generic = undefined;
        const sorted = this.health.classify(error, startedAt, this.connectedAt);
        if (sorted instanceof DatabaseUnavailableError) {
          this.#broken = true;
          this.onLost();
        }
        throw sorted;
      },
    );
  }

  async #send(text: string, parameters: readonly unknown[]) {
    const values = [...parameters];
    const name = this.prepares ? preparedNameOf(text) : undefined;
    if (values.length > 0 && this.prepares) {
      const generic = name !== undefined;
      if (this.#generic !== generic) {
        await this.client.query(generic ? GENERIC_PLANS : CUSTOM_PLANS);
        this.#generic = generic;
      }
    }
    const result = await (name === undefined ? this.client.query(text, values) : this.client.query({ name, text, values }));
    if (/^\s*rollback\b/i.test(text)) this.#generic = undefined;
    return result;
  }

  release(destroy?: boolean): void {
    const broken = this.#broken;
    this.#broken = false;
    // pg-pool destroys a client released with a truthy argument.
    this.client.release(destroy || broken);
  }
}

/**
 * The embedded PostgreSQL's settings: PGlite's own, with 16 MB of shared buffers instead of
 * PostgreSQL's 128 MB. The engine zeroes its whole shared memory at every start, in WebAssembly,
 * at about 6 ms per MB on a quiet machine: 145 MB of it were most of a restart's time to /readyz
 * (docs/performance.md, "Start-up"); 24 MB now. Pages beyond the buffers are read from the
 * folder's files, which the operating system caches.
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * PGlite takes no lock on its folder and two processes on one folder corrupt it silently,
 * so the folder is locked for as long as this process holds it open.
 */
async function openEmbedded(folder: string): Promise<DatabaseHandle> {
  fs.mkdirSync(folder, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, {
      lockfilePath: `${folder}.lock`,
      // A live holder refreshes the lock every 1.5 s; one killed with SIGKILL leaves it stale after 5 s,
      // which the retries wait out, so a restart after a crash just works.
      stale: 5_000,
      update: 1_500,
      retries: { retries: 7, minTimeout: 1_000, maxTimeout: 1_000 },
      onCompromised: (error) => {
        console.error(`embedded database lock lost, stopping: ${error.message}`);
        process.exit(1);
      },
    });
  } catch {
    throw new DatabaseLockedError(
      `the embedded database in ${folder} is in use by another Payrail process; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
    );
  }
  try {
    checkEmbeddedFormat(folder);
  } catch (error) {
    await release();
    throw error;
  }
  const client = new PGlite({ dataDir: folder, parsers: { [INT8]: readInt8 }, startParams: EMBEDDED_START_PARAMS });
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  // PGlite has one connection and no named statements across calls: the text is sent each time.
  const runPrepared: RunPrepared = async <Row>(statement: PreparedStatement, values: unknown[]) =>
    (await client.query<Row>(statement.text, values)).rows;
  // The embedded database lives and dies with this process: there is no connection to lose.
  const health = new DatabaseHealth();
  return {
    db,
    kind: 'pglite',
    health,
    readDb: db,
    readHealth: health,
    runPrepared,
    close: async () => {
      await db.destroy();
      await release();
    },
  };
}
