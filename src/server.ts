import os from 'node:os';
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { GatewayContext } from './context.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import type { ShutdownStep } from './shutdown.ts';
import { createMetrics } from './metrics.ts';
import { loadMasterKey } from './secrets/master-key.ts';
import { configuredAcquirers } from './acquirers/index.ts';
import type { Acquirer } from './acquirers/acquirer.ts';
import { acquirerSet } from './acquirers/acquirer-set.ts';
import { measured } from './acquirers/measured.ts';
import { createDatabaseSimulatorStore } from './store/simulator-records.ts';
import { MerchantCache } from './store/merchant-cache.ts';
import { MerchantRateLimiter } from './api/rate-limiter.ts';
import { OrderBatcher, batchesInFlightFor } from './store/order-batch.ts';
import { frameworkError, merchantApi, notFound } from './api/plugin.ts';
import { apiDocs } from './api/docs.ts';
import { apiDocument } from './api/openapi.ts';
import { acquirerWebhookRoutes } from './api/acquirer-webhooks/route.ts';
import { cashierPages } from './cashier/routes.ts';
import { dashboardPages } from './dashboard/plugin.ts';
import { demoMerchantRoutes } from './demo.ts';
import { probeRoutes } from './probes.ts';
import { JobWaker } from './jobs/wake.ts';
import { startBackgroundWork, type BackgroundWorkOptions } from './jobs/background-work.ts';
import type { Workers } from './jobs/worker.ts';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly context: GatewayContext;
  /** Starts this process's background workers; close() stops them. */
  startWorkers(options?: Partial<BackgroundWorkOptions>): Workers;
  close(): Promise<void>;
  /** What close() does, step by step, each named by what it waits for (the CLI logs them and bounds them by SHUTDOWN_TIMEOUT_MS). */
  closeSteps(): ShutdownStep[];
}

/** Every connector the configuration makes reachable; ACQUIRER is the default among them. */
function configuredConnectors(config: Config, database: DatabaseHandle): Acquirer[] {
  // The simulator keeps its records in our database, so every node sees the same acquirer.
  return configuredAcquirers(config.connectors, { timeoutMs: config.acquirerTimeoutMs, simulatorStore: createDatabaseSimulatorStore(database.db) });
}

export interface GatewayOptions {
  config: Config;
  /** An open database; when absent the gateway opens (and later closes) the configured one. */
  database?: DatabaseHandle;
  logger?: Logger;
  now?: () => Date;
  /** The default acquirer connector; when absent, the one configured (ACQUIRER). */
  acquirer?: Acquirer;
  /** More connectors besides `acquirer`, for routing tests; the caller closes them. */
  acquirers?: Acquirer[];
}

/** One line when the database goes away and one when it is back, whatever noticed it. */
function logDatabaseHealth(database: DatabaseHandle, log: Logger): () => void {
  const stopPrimary = database.health.onChange((change) => {
    if (!change.reachable) {
      log.error({ err: change.error }, 'database unreachable: answering 5000, the cashier asks customers to try again in a moment, workers retry');
    } else {
      log.info({ downForMs: change.downForMs }, 'database reachable again');
    }
  });
  if (database.readHealth === database.health) return stopPrimary;
  const stopReplica = database.readHealth.onChange((change) => {
    if (!change.reachable) log.error({ err: change.error }, 'read replica (DATABASE_READ_URL) unreachable: console lists fail, payments are not affected');
    else log.info({ downForMs: change.downForMs }, 'read replica reachable again');
  });
  return () => {
    stopPrimary();
    stopReplica();
  };
}

/** Whether Fastify's options for a request's child logger hold anything (a route's level or serializers). */
function hasOptions(options: object): boolean {
  for (const _ in options) return true;
  return false;
}

/** Opens the database, migrates it, and wires the API, the pages and the probes together. */
export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const log = options.logger ?? createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, readDatabaseUrl: config.readDatabaseUrl, dataDir: config.dataDir }));
  await migrateToLatest(database.db);

  const connectors = options.acquirer ? [options.acquirer, ...(options.acquirers ?? [])] : configuredConnectors(config, database);
  const metrics = createMetrics();
  const acquirers = acquirerSet(connectors.map((connector) => measured(connector, metrics)), options.acquirer?.name ?? config.acquirer);
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  const context: GatewayContext = {
    config,
    db: database.db,
    readDb: database.readDb,
    dbHealth: database.health,
    masterKey,
    metrics,
    log,
    now: options.now ?? (() => new Date()),
    acquirer: acquirers.get(null),
    acquirers,
    merchants: new MerchantCache(database.db, masterKey, 1_000),
    rateLimiter: new MerchantRateLimiter(database.db),
    orderBatcher: new OrderBatcher(database.runPrepared, batchesInFlightFor(database.kind)),
    waker: new JobWaker(),
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };

  const stopLoggingHealth = logDatabaseHealth(database, log);

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    // Request logging is off and our handlers log through context.log, so below info a request
    // logger would carry a request id to no line: skip building a pino child per request. At info
    // Fastify passes no options (no route sets a log level or serializers): pino builds a child
    // without options on its short path instead of copying the parent's serializers and formatters.
    childLoggerFactory: (logger, bindings, childOptions) =>
      (logger as Logger).isLevelEnabled('info') ? logger.child(bindings, hasOptions(childOptions) ? childOptions : undefined) : logger,
    return503OnClosing: true,
    frameworkErrors: frameworkError(context),
    // Slow clients: a request must arrive in full within REQUEST_TIMEOUT_MS, its headers within
    // 10 s; an idle socket is closed after 60 s, an idle keep-alive connection after 5 s.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    http: { headersTimeout: Math.min(10_000, config.requestTimeoutMs), connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs) },
  });

  // Production behind https: browsers keep to https for a year (the cashier, the dashboard, /docs).
  if (config.env === 'production' && config.publicUrl.startsWith('https://')) {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
      return payload;
    });
  }

  // Before the routes: it documents each merchant API route as it is registered.
  await apiDocument(app);
  probeRoutes(app, context);
  await app.register(async (api) => merchantApi(api, context));
  await app.register(async (webhooks) => acquirerWebhookRoutes(webhooks, context));
  await app.register(async (pages) => cashierPages(pages, context));
  await app.register(async (pages) => dashboardPages(pages, context));
  await app.register(apiDocs);

  if (config.env !== 'production') demoMerchantRoutes(app);

  app.setNotFoundHandler(notFound(context));

  let workers: Workers | undefined;

  const gateway: Gateway = {
    app,
    context,
    startWorkers(workerOptions = {}) {
      workers = startBackgroundWork(context, workerOptions);
      return workers;
    },
    closeSteps() {
      return [
        { what: 'requests in flight (no new ones are taken)', run: async () => { stopLoggingHealth(); await app.close(); } },
        { what: 'running jobs and sweeps to finish', run: async () => { await workers?.stop(); } },
        { what: 'the rate limiter\'s last counts to be written', run: () => context.rateLimiter.close() },
        { what: 'acquirer connections to close', run: async () => { if (!options.acquirer) await acquirers.close(); } },
        { what: 'the database to close', run: async () => { if (!options.database) await database.close(); } },
      ];
    },
    async close() {
      for (const step of gateway.closeSteps()) await step.run();
    },
  };
  return gateway;
}
