/** The rows of bench/results.json, named as docs/benchmark.md lists them; other programs read these names. */
export type ResultRow =
  | { name: 'floor-insert' | 'create-checkout'; db: 'postgres' | 'pglite'; rps: number; p50_ms: number; p99_ms: number; non_success?: Record<string, number> }
  | { name: 'payment-flow'; db: 'postgres'; pps: number; p50_ms: number; p99_ms: number }
  | { name: 'notify-lag'; db: 'postgres'; p50_ms: number; p99_ms: number; direct_post_p50_ms: number; direct_post_p99_ms: number }
  | { name: 'cashier-page'; bytes: number; requests: number; third_party_requests: number };

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
        const other = row.non_success ? `non-success: ${JSON.stringify(row.non_success)}` : '';
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad(`${row.rps} req/s`, 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}${other}`);
        break;
      }
      case 'payment-flow':
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad(`${row.pps} pay/s`, 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}`);
        break;
      case 'notify-lag':
        lines.push(`${pad(row.name, 17)}${pad(row.db, 10)}${pad('', 16)}${pad(String(row.p50_ms), 9)}${pad(String(row.p99_ms), 9)}direct POST p50 ${row.direct_post_p50_ms} / p99 ${row.direct_post_p99_ms} ms`);
        break;
      case 'cashier-page':
        lines.push(`${pad(row.name, 17)}${pad('', 10)}${pad(`${row.bytes} bytes`, 16)}${pad('', 18)}${row.requests} requests, ${row.third_party_requests} third-party`);
        break;
    }
  }
  return lines.join('\n');
}
