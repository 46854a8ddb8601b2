import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';

/** CPU time of this process (the gateway or the floor, and PGlite when it is the database), in µs. */
const ownMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a process from /proc, in µs; 0 once it has gone. */
export const processMicros = (pid: number): number => statMicros(`/proc/${pid}/stat`);

/** utime + stime from a /proc stat file (a process's, or a thread's under /proc/pid/task), in µs; 0 once it has gone. */
export function statMicros(file: string): number {
  try {
    const stat = fs.readFileSync(file, 'utf8');
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / clockTicks();
  } catch {
    return 0;
  }
}

/** Every process of the PostgreSQL server the bench started: its backends and its background workers. */
export async function postgresPids(serverUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
    return result.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuWindow {
  /**
   * µs of CPU spent since the window opened: by this process, and by the PostgreSQL processes.
   * `databasePidsNow`, listed at the end: a backend among them that was not there at the start
   * (a pool that had closed its idle connections opened it in the window) counts in full.
   */
  end(databasePidsNow?: readonly number[]): { ownUs: number; databaseUs: number };
}

/**
 * Opens a window on CPU time. PostgreSQL's processes are listed when the window opens (the pool
 * is warm by then, so no backend starts inside the window); pass none for PGlite, which runs
 * in this process and is counted in `ownUs`.
 */
export function openCpuWindow(databasePids: readonly number[]): CpuWindow {
  const ownStart = ownMicros();
  const databaseStart = new Map(databasePids.map((pid) => [pid, processMicros(pid)]));
  return {
    end(databasePidsNow = []) {
      let databaseUs = 0;
      for (const [pid, start] of databaseStart) databaseUs += Math.max(0, processMicros(pid) - start);
      for (const pid of databasePidsNow) if (!databaseStart.has(pid)) databaseUs += processMicros(pid);
      return { ownUs: ownMicros() - ownStart, databaseUs };
    },
  };
}

/** The load generator's own CPU from the moment it is called, in µs. */
export const startOwnCpu = () => {
  const start = ownMicros();
  return () => ownMicros() - start;
};
