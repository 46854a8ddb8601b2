import type { Command } from 'commander';
import { loadConfig, type Env } from '../config.ts';
import { buildGateway } from '../server.ts';
import { logAcquirersInUse } from '../acquirers-in-use.ts';
import { createDemoMerchantIfEmpty } from '../demo.ts';
import { shutDown } from '../shutdown.ts';
import { integer } from './options.ts';
import { stopOnSignal } from './exit.ts';

/** How long after it starts listening `payrail start` begins its jobs and sweeps. */
const BACKGROUND_WORK_AFTER_MS = 1_000;

/** `payrail start`: the gateway, until a signal stops it within SHUTDOWN_TIMEOUT_MS. */
export function addStartCommand(program: Command): void {
  program
    .command('start')
    .description('serve the API, the cashier page and the dashboard, and run the background workers')
    .option('--port <n>', 'port to listen on (default: PORT, else 8080)', integer('--port', 0, 65535))
    .option('--workers <n>', 'jobs run at once by this process; 0 serves requests only (default: 8)', integer('--workers', 0, 64))
    .action(async (options: { port?: number; workers?: number }) => {
      const overrides: Partial<Env> = options.port === undefined ? {} : { PORT: options.port };
      const config = loadConfig(process.env, overrides);
      const gateway = await buildGateway({ config });
      const { app, context } = gateway;
      const firstStart = await createDemoMerchantIfEmpty(context.db, context.masterKey, config);
      await app.listen({ port: config.port, host: config.host });
      // --workers 0 makes a node that only serves requests; other nodes do the background work.
      // On the embedded database the rest begin a moment after the node takes requests: their first
      // queries warm a cold database for about a second of CPU, which /readyz and the first requests
      // need not wait for after a restart (docs/performance.md, "Start-up"). A PostgreSQL server
      // is warm already: there they begin at once.
      const startAfterMs = config.databaseUrl ? 0 : BACKGROUND_WORK_AFTER_MS;
      if (options.workers !== 0) gateway.startWorkers({ concurrency: options.workers ?? 8, startAfterMs });
      context.log.info({ url: config.publicUrl, database: config.databaseUrl ? 'postgres' : 'embedded' }, 'payrail started');
      await logAcquirersInUse(context);
      if (firstStart) process.stdout.write(firstStart + '\n');
      stopOnSignal(async () => {
        context.log.info({ timeoutMs: config.shutdownTimeoutMs }, 'stopping');
        const outcome = await shutDown(gateway.closeSteps(), { timeoutMs: config.shutdownTimeoutMs, say: (line) => context.log.info(line) });
        if (outcome.kind === 'done') {
          context.log.info({ ms: outcome.ms }, 'stopped');
          return;
        }
        context.log.warn({ ms: outcome.ms }, `still waiting for ${outcome.waitingFor} after SHUTDOWN_TIMEOUT_MS; exiting anyway`);
        context.log.flush();
        process.exit(1);
      });
    });
}
