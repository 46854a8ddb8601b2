import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { GatewayContext } from './context.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { isMigrated, migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { loadMasterKey } from './secrets/master-key.ts';
import { API_PATHS, merchantApi, sendError } from './api/plugin.ts';
import { BusinessCode, PayrailError } from './domain/errors.ts';
import { cashierPages } from './cashier/routes.ts';
import { dashboardPages } from './dashboard/plugin.ts';
import { demoMerchantRoutes } from './demo.ts';
import { JobWaker } from './jobs/wake.ts';
import { MerchantCache } from './store/merchant-cache.ts';
import { MerchantRateLimiter } from './api/rate-limiter.ts';
import { startWorkers, type Workers } from './jobs/worker.ts';
import { sendNotification } from './jobs/notify/send-notification.ts';
import { parseNotifySchedule } from './jobs/notify/schedule.ts';
import { sendReceipt } from './jobs/email/send-receipt.ts';
import { createMailer } from './jobs/email/mailer.ts';
import path from 'node:path';
import { createAcquirer } from './acquirers/index.ts';
import { createDatabaseSimulatorStore } from './acquirers/simulator/database-store.ts';
import type { Acquirer } from './acquirers/acquirer.ts';
import { expireOrders } from './jobs/expiry/expire-orders.ts';
import { reconcileAttempts } from './payments/reconcile-attempts.ts';
import { reconcileRefunds } from './payments/refund-payment.ts';
import { settlePayments } from './ledger/settle-payments.ts';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { apiDocs } from './api/docs.ts';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly context: GatewayContext;
  /** Starts this process's background workers; close() stops them. */
  startWorkers(options?: Partial<WorkerOptions>): Workers;
  close(): Promise<void>;
}

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  /** How often open orders are checked for expiry, and attempts in doubt reconciled. */
  sweepEveryMs: number;
}

function configuredAcquirer(config: Config, database: DatabaseHandle): Acquirer {
  if (config.acquirer === 'http') return createAcquirer('http', { baseUrl: config.acquirerUrl!, timeoutMs: config.acquirerTimeoutMs });
  // The simulator keeps its records in our database, so every node sees the same acquirer.
  return createAcquirer('simulator', { store: createDatabaseSimulatorStore(database.db) });
}

export interface GatewayOptions {
  config: Config;
  /** An open database; when absent the gateway opens (and later closes) the configured one. */
  database?: DatabaseHandle;
  logger?: Logger;
  now?: () => Date;
  /** The acquirer connector; when absent, the one configured (ACQUIRER). */
  acquirer?: Acquirer;
}

const API_PATH = /^\/v1\//;

/** Opens the database, migrates it, and wires the API, the pages and the probes together. */
export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const log = options.logger ?? createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrateToLatest(database.db);

  const context: GatewayContext = {
    config,
    db: database.db,
    masterKey: loadMasterKey(config.masterKey, config.dataDir),
    metrics: createMetrics(),
    log,
    now: options.now ?? (() => new Date()),
    acquirer: options.acquirer ?? configuredAcquirer(config, database),
    merchants: new MerchantCache(database.db, 1_000),
    rateLimiter: new MerchantRateLimiter(database.db),
    waker: new JobWaker(),
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });

  app.addHook('onResponse', async (request, reply) => {
    context.metrics.requestDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
        code: reply.businessCode ?? '',
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(async (api) => merchantApi(api, context));
  await app.register(async (pages) => cashierPages(pages, context));
  await app.register(async (pages) => dashboardPages(pages, context));
  await app.register(apiDocs);

  if (config.env !== 'production') demoMerchantRoutes(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      if (await isMigrated(context.db)) return { status: 'ready' };
      return reply.status(503).send({ status: 'migrations pending' });
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (API_PATH.test(path)) {
      if (API_PATHS.test(path)) {
        reply.header('allow', 'POST');
        const wrongMethod = new PayrailError(BusinessCode.ParameterInvalid, `${request.method} is not allowed on ${path}; use POST`);
        return sendError(context, wrongMethod, request, reply, 405);
      }
      return sendError(context, new PayrailError(BusinessCode.ParameterInvalid, `no such API path: ${path}`), request, reply, 404);
    }
    return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
  });

  const schedule = parseNotifySchedule(config.notifySchedule);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox') });
  let workers: Workers | undefined;

  return {
    app,
    context,
    startWorkers(workerOptions = {}) {
      workers = startWorkers(
        context,
        {
          notify: (job) => sendNotification(context, schedule, job),
          email: (job) => sendReceipt(context, mailer, job),
        },
        {
          concurrency: workerOptions.concurrency ?? 8,
          pollMs: workerOptions.pollMs ?? 1_000,
          sweeps: [
            { name: 'expire orders', everyMs: workerOptions.sweepEveryMs ?? 2_000, run: () => expireOrders(context.db) },
            { name: 'reconcile attempts', everyMs: workerOptions.sweepEveryMs ?? 2_000, run: () => reconcileAttempts(context) },
            { name: 'settle payments', everyMs: 60_000, run: () => settlePayments(context.db, config.settlementDelayHours * 3_600_000) },
            { name: 'reconcile refunds', everyMs: workerOptions.sweepEveryMs ?? 2_000, run: () => reconcileRefunds(context) },
          ],
          // Longer than a notification's timeout, so a live attempt never loses its lease.
          leaseMs: config.notifyTimeoutMs + 30_000,
        },
      );
      return workers;
    },
    async close() {
      await app.close();
      await workers?.stop();
      await context.rateLimiter.close();
      mailer.close();
      if (!options.acquirer) await context.acquirer.close();
      if (!options.database) await database.close();
    },
  };
}
