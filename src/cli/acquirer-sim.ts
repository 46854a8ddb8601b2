import type { Command } from 'commander';
import { startAcquirerSimServer } from '../acquirer-sim/server.ts';
import { integer } from './options.ts';
import { stopOnSignal } from './exit.ts';

/** `payrail acquirer-sim`: the simulator acquirer as its own HTTP service. */
export function addAcquirerSimCommand(program: Command): void {
  program
    .command('acquirer-sim')
    .description('run the simulator acquirer as its own HTTP service, with injectable faults (ACQUIRER=http talks to it)')
    .option('--port <n>', 'port to listen on', integer('--port', 0, 65535), 8090)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--latency-ms <n>', 'added latency per request', integer('--latency-ms', 0, 600_000), 0)
    .option('--fail-rate <percent>', 'share of requests answered 5xx', integer('--fail-rate', 0, 100), 0)
    .option('--drop-rate <percent>', 'share of responses dropped after the work is done', integer('--drop-rate', 0, 100), 0)
    .option('--seed <n>', 'seed of the random faults', integer('--seed', 0, 2 ** 31), 1)
    .action(async (options: { port: number; host: string; latencyMs: number; failRate: number; dropRate: number; seed: number }) => {
      const server = await startAcquirerSimServer({
        port: options.port,
        host: options.host,
        latencyMs: options.latencyMs,
        failureRate5xx: options.failRate / 100,
        dropRate: options.dropRate / 100,
        seed: options.seed,
      });
      console.log(`acquirer simulator listening on ${server.url}`);
      stopOnSignal(() => server.close());
    });
}
