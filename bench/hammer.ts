import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';

export interface LoadShape {
  /** Open connections, each with one request in flight (no pipelining). */
  connections: number;
  /** Unmeasured run first: JIT, pool connections and caches warm up. */
  warmupSeconds: number;
  seconds: number;
}

/**
 * Runs autocannon twice, a warm-up then the measured window, and answers the measured result.
 * `onMeasuring` is called as the measured window opens.
 */
export async function hammer(options: AutocannonOptions, shape: LoadShape, onMeasuring: () => void = () => {}): Promise<AutocannonResult> {
  if (shape.warmupSeconds > 0) await autocannon({ ...options, connections: shape.connections, duration: shape.warmupSeconds });
  onMeasuring();
  const result = await autocannon({ ...options, connections: shape.connections, duration: shape.seconds, timeout: 10 });
  if (result.errors > 0 || result.timeouts > 0) {
    console.error(`  ${options.url}: ${result.errors} connection errors, ${result.timeouts} timeouts`);
  }
  return result;
}
