import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './postgres-server.ts';
import { pause } from './until.ts';

/**
 * Debian's pgbouncer (apt-get install pgbouncer; CI does in .ci/run) in front of a PostgreSQL
 * server on 127.0.0.1:`serverPort`, in transaction mode: each transaction, or each statement
 * outside one, may run on another server connection. It sets statement_timeout on each server
 * connection it opens (connect_query), as README.md's "Behind pgbouncer" says to.
 */
export interface Pgbouncer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:port/database?pgbouncer=transaction` */
  url(database: string): string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function pgbouncerBinary(): string {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (fs.existsSync(candidate)) return candidate;
  throw new Error('pgbouncer not found: apt-get install -y pgbouncer (CI does this in .ci/run)');
}

export async function startPgbouncer(serverPort: number, options: { poolSize?: number } = {}): Promise<Pgbouncer> {
  const binary = pgbouncerBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-pgbouncer-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=127.0.0.1 port=${serverPort} connect_query='SET statement_timeout = 10000'`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 8}`,
      'max_client_conn = 1000',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  // pgbouncer, like PostgreSQL, refuses to run as root.
  const child: ChildProcess = asRoot
    ? spawn('su', ['postgres', '-s', '/bin/sh', '-c', `exec '${binary}' '${path.join(dir, 'pgbouncer.ini')}'`], { stdio: 'ignore' })
    : spawn(binary, [path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(path.join(dir, 'pgbouncer.log')) ? fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8') : '';
      throw new Error(`pgbouncer did not start:\n${log}`);
    }
    await pause(50);
  }
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}?pgbouncer=transaction`,
    async stop() {
      const pidFile = path.join(dir, 'pgbouncer.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : undefined;
      if (pid) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {}
      }
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
