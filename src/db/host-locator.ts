import pg from 'pg';
import { fits, type DatabaseHost, type DatabaseTarget, type ServerRole } from './database-url.ts';
import { DatabaseUnavailableError } from './health.ts';

/** One round trip that tells a primary from a standby, and a writable session from a read-only one. */
const ROLE_QUERY = `SELECT pg_is_in_recovery() AS in_recovery, current_setting('transaction_read_only') = 'on' AS read_only`;

/**
 * Finds the server of a multi-host URL that fits its target_session_attrs, as libpq does and
 * node-postgres does not: each host in order, the first that fits is kept for new connections
 * until one of them finds it gone or no longer fitting (a failover), then the list is tried again.
 * Concurrent connections wait for one search instead of starting one each.
 */
export class HostLocator {
  #current: DatabaseHost | undefined;
  #searching: Promise<DatabaseHost> | undefined;

  constructor(
    private readonly target: DatabaseTarget,
    /** How long one host may take to answer whether it fits. */
    private readonly probeTimeoutMs: number,
  ) {}

  /** The host new connections go to: the last that fitted, else the first that fits now. */
  host(): Promise<DatabaseHost> {
    if (this.#current) return Promise.resolve(this.#current);
    this.#searching ??= this.#search().finally(() => (this.#searching = undefined));
    return this.#searching;
  }

  /** A connection to `host` failed or found it no longer fits: search again next time. */
  forget(host: DatabaseHost): void {
    if (this.#current === host) this.#current = undefined;
  }

  /** A connection broke or a write was refused: search again before the next new connection. */
  forgetCurrent(): void {
    this.#current = undefined;
  }

  /** Whether a connected server fits, from what it says about itself. */
  fits(role: ServerRole): boolean {
    return fits(this.target.sessionTarget, role, 'second');
  }

  async #search(): Promise<DatabaseHost> {
    const heard: string[] = [];
    const passes = this.target.sessionTarget === 'prefer-standby' ? (['first', 'second'] as const) : (['first'] as const);
    const roles = new Map<DatabaseHost, ServerRole>();
    for (const pass of passes) {
      for (const host of this.target.hosts) {
        let role = roles.get(host);
        if (!role && pass === 'first') {
          try {
            role = await this.#probe(host);
            roles.set(host, role);
          } catch (error) {
            heard.push(`${host.host}:${host.port} ${(error as Error).message}`);
            continue;
          }
        }
        if (role && fits(this.target.sessionTarget, role, pass)) {
          this.#current = host;
          return host;
        }
        if (role && pass === 'first') heard.push(`${host.host}:${host.port} is ${describe(role)}`);
      }
    }
    throw new DatabaseUnavailableError(`no server fits target_session_attrs=${this.target.sessionTarget}: ${heard.join('; ')}`);
  }

  async #probe(host: DatabaseHost): Promise<ServerRole> {
    const client = new pg.Client({
      ...this.target.connection,
      ...host,
      connectionTimeoutMillis: this.probeTimeoutMs,
      query_timeout: this.probeTimeoutMs,
      application_name: 'payrail-locate',
    });
    client.on('error', () => {}); // a server that dies mid-probe fails the probe, not the process
    try {
      await client.connect();
      return await readRole(client);
    } finally {
      client.end().catch(() => {});
    }
  }
}

export async function readRole(client: { query: pg.ClientBase['query'] }): Promise<ServerRole> {
  const { rows } = await client.query<{ in_recovery: boolean; read_only: boolean }>(ROLE_QUERY);
  return { inRecovery: rows[0]!.in_recovery, readOnly: rows[0]!.read_only };
}

function describe(role: ServerRole): string {
  if (role.inRecovery) return 'a standby';
  return role.readOnly ? 'read-only' : 'writable';
}

/** Marks a connection whose server turned out not to fit: classified as "no database right now". */
export class WrongServerError extends DatabaseUnavailableError {
  override name = 'WrongServerError';
}

/**
 * Pool options that make a pg.Pool connect through the locator: each new client asks it for
 * the host, and is checked once connected (the server may have changed role since the search);
 * a client that fails either way makes the locator search again.
 */
export function locatedPoolOptions(locator: HostLocator): Pick<pg.PoolConfig, 'Client' | 'onConnect'> {
  const hostOf = new WeakMap<pg.ClientBase, DatabaseHost>();
  class LocatedClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: (error: Error | undefined) => void): void;
    override connect(callback?: (error: Error | undefined) => void): Promise<pg.Client> | void {
      const connected = locator.host().then((host) => {
        hostOf.set(this, host);
        const self = this as unknown as { host: string; port: number; connection: { stream: { destroyed: boolean } } };
        // The pool gave up waiting (its connect timeout destroys the stream): do not connect late.
        if (self.connection.stream.destroyed) throw new DatabaseUnavailableError('timeout exceeded when trying to connect');
        self.host = host.host;
        self.port = host.port;
        return super.connect().catch((error: unknown) => {
          locator.forget(host);
          throw error;
        });
      });
      if (!callback) return connected;
      connected.then(
        () => callback(undefined),
        (error: Error) => callback(error),
      );
    }
  }
  return {
    Client: LocatedClient as unknown as pg.PoolConfig['Client'],
    async onConnect(client: pg.ClientBase) {
      const role = await readRole(client);
      if (locator.fits(role)) return;
      const host = hostOf.get(client);
      if (host) locator.forget(host);
      throw new WrongServerError(`the server at ${host?.host}:${host?.port} is ${describe(role)} now; looking for another`);
    },
  };
}
