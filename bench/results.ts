/** The rows of bench/results.json, named as docs/benchmark.md lists them; other programs read these names. */
export type ResultRow =
  | {
      name: 'floor-insert' | 'create-checkout';
      db: 'postgres' | 'pglite';
      rps: number;
      p50_ms: number;
      p99_ms: number;
      non_success?: Record<string, number>;
      /** Extra: CPU per answered request over the measured window (see CpuPerRequest). */
      cpu_us_per_request?: CpuPerRequest;
      /** Extra, create-checkout only: its rps and p99 divided by the floor's on the same database in this run. */
      vs_floor?: { rps: number; p99: number };
    }
  | { name: 'payment-flow'; db: 'postgres'; pps: number; p50_ms: number; p99_ms: number; cpu_us_per_payment?: CpuPerRequest }
  | {
      name: 'notify-lag';
      db: 'postgres';
      p50_ms: number;
      p99_ms: number;
      direct_post_p50_ms: number;
      direct_post_p99_ms: number;
      /** Extra: per order of the run (create, close, and the worker's claim, POST and record). */
      cpu_us_per_order?: CpuPerRequest;
    }
  | { name: 'cashier-page'; bytes: number; requests: number; third_party_requests: number }
  /** `payrail start` restarted on an embedded database folder, to its first 200 from /readyz: the median of three (bench/ready.ts). */
  | { name: 'ready-after-restart'; db: 'pglite'; ms: number; /** Extra: the process's CPU by then. */ cpu_ms: number };

/**
 * µs of CPU per request: `gateway` is the server's process (with PGlite in it, the database
 * too), `database` the PostgreSQL server's processes (absent on PGlite), `load` the load
 * generator's process.
 */
export interface CpuPerRequest {
  gateway: number;
  database?: number;
  load?: number;
}

export interface Results {
  when: string;
  machine: { cpus: number; node: string; note: string };
  results: ResultRow[];
}

/** The figures as a table for a person reading the terminal. */
export function formatTable(results: Results): string {
  const lines = [`${results.when}  ${results.machine.cpus} CPUs  node ${results.machine.node}`, ''];
  const pad = (text: string, width: number) => text.padEnd(width);
  lines.push(`${pad('benchmark', 17)}${pad('db', 10)}${pad('throughput', 16)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}other`);
  for (const row of results.results) {
    switch (row.name) {
      case 'floor-insert':
      case 'create-checkout': {
        const ratio = row.vs_floor ? `${row.vs_floor.rps}× floor rps, p99 ${row.vs_floor.p99}× floor; ` : '';
        const other = `${ratio}${cpuText(row.cpu_us_per_request)}${row.non_success ? ` non-success: ${JSON.stringify(row.non_success)}` : ''}`;
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad(`${row.rps} req/s`, 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}${other}`);
        break;
      }
      case 'payment-flow':
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad(`${row.pps} pay/s`, 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}${cpuText(row.cpu_us_per_payment, 'payment')}`);
        break;
      case 'notify-lag':
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad('', 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}direct POST p50 ${row.direct_post_p50_ms} / p99 ${row.direct_post_p99_ms} ms; ${cpuText(row.cpu_us_per_order, 'order')}`);
        break;
      case 'ready-after-restart':
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad(`${row.ms} ms`, 16)}${pad('', 18)}${row.cpu_ms} ms of CPU to ready`);
        break;
      case 'cashier-page':
        lines.push(`${pad(row.name, 17)}${pad('', 10)}${pad(`${row.bytes} bytes`, 16)}${pad('', 18)}${row.requests} requests, ${row.third_party_requests} third-party`);
        break;
    }
  }
  return lines.join('\n');
}

function cpuText(cpu: CpuPerRequest | undefined, per = 'request'): string {
  if (!cpu) return '';
  const parts = [`gateway ${cpu.gateway}`];
  if (cpu.database !== undefined) parts.push(`database ${cpu.database}`);
  if (cpu.load !== undefined) parts.push(`load ${cpu.load}`);
  return `CPU µs/${per}: ${parts.join(', ')}`;
}
