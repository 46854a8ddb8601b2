import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pause } from './until.ts';

/**
 * A throwaway PostgreSQL server from Debian's `postgresql` package, for tests and benchmarks.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export interface PostgresServer {
  readonly url: (database?: string) => string;
  readonly port: number;
  /** Stops the server as a restart does (fast shutdown: sessions are ended, then it exits). */
  stopFast(): Promise<void>;
  /** Kills the postmaster with SIGKILL, as a crash would. */
  killPostmaster(): Promise<void>;
  /** Starts the server again after stopFast or killPostmaster; resolves once it accepts connections. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A standby only: `pg_ctl promote`, resolves once it takes writes. */
  promote(): Promise<void>;
  /** The data folder (for pg_basebackup of a standby). */
  readonly dataDir: string;
}

/** `-c name=value` settings for the server, e.g. synchronous_standby_names. */
export interface ServerSettings {
  readonly settings?: Readonly<Record<string, string>>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql (CI does this in .ci/run)');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(command: string, args: string[]) {
  if (!asRoot) return execFileSync(command, args, { stdio: 'pipe' });
  const quoted = [command, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
}

export async function startPostgres(options: ServerSettings = {}): Promise<PostgresServer> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-pg-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const dataDir = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  return serve(bin, dir, dataDir, options);
}

/**
 * A streaming-replication standby of `primary` (pg_basebackup -R: it follows the primary's WAL
 * and answers reads). Named `applicationName` for the primary's synchronous_standby_names.
 */
export async function startStandby(primary: PostgresServer, applicationName: string, options: ServerSettings = {}): Promise<PostgresServer> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-pg-standby-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const dataDir = path.join(dir, 'data');
  run(path.join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '-d', `application_name=${applicationName}`]);
  return serve(bin, dir, dataDir, options);
}

async function serve(bin: string, dir: string, dataDir: string, options: ServerSettings): Promise<PostgresServer> {
  const port = await freePort();
  const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on', ...settings];
  let child: ChildProcess | undefined;

  const isReady = () => {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };

  /** Starts the postmaster and resolves once it accepts connections. */
  const launch = async (withinMs = 30_000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const started = asRoot
        ? spawn('su', ['postgres', '-s', '/bin/sh', '-c', `exec '${path.join(bin, 'postgres')}' ${args.map((a) => `'${a}'`).join(' ')}`], { stdio: 'ignore' })
        : spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore' });
      child = started;
      // After a SIGKILL of the postmaster its old backends hold the shared memory a moment longer,
      // and a new postmaster refuses to start until they are gone: start it again.
      while (started.exitCode === null && started.signalCode === null) {
        if (isReady()) return;
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not start within ${withinMs} ms`);
        await pause(25);
      }
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start within ${withinMs} ms`);
      await pause(50);
    }
  };
  await launch();

  const postmasterPid = () => Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    port,
    dataDir,
    async promote() {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, 'promote', '-w']);
    },
    async stopFast() {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, 'stop', '-m', 'fast', '-w']);
    },
    async killPostmaster() {
      process.kill(postmasterPid(), 'SIGKILL');
      await new Promise<void>((resolve) => (child!.exitCode !== null || child!.signalCode !== null ? resolve() : child!.once('exit', () => resolve())));
    },
    start: () => launch(),
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', dataDir, 'stop', '-m', 'immediate']);
      } catch {
        child?.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
