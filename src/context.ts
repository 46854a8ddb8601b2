import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { DatabaseHealth } from './db/health.ts';
import type { MasterKey } from './secrets/master-key.ts';
import type { Metrics } from './metrics.ts';
import type { Acquirer } from './acquirers/acquirer.ts';
import type { AcquirerSet } from './acquirers/acquirer-set.ts';
import type { MerchantCache } from './store/merchant-cache.ts';
import type { OrderBatcher } from './store/order-batch.ts';

/** What every part of the gateway is handed: built once in server.ts, never a global. */
export interface GatewayContext {
  readonly config: Config;
  readonly db: Kysely<Database>;
  /**
   * Where the console's lists, CSV exports and overview read: a replica when DATABASE_READ_URL
   * is set, else `db`. Nothing that decides about money reads from it.
   */
  readonly readDb: Kysely<Database>;
  /** Whether the database answers; an outage is logged once, when it starts and when it ends. */
  readonly dbHealth: DatabaseHealth;
  readonly masterKey: MasterKey;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The default acquirer connector (ACQUIRER). */
  readonly acquirer: Acquirer;
  /** Every connector this gateway reaches, by name: merchants' lists route among them. */
  readonly acquirers: AcquirerSet;
  /** Merchants as the API reads them, cached for a second (see store/merchant-cache.ts). */
  readonly merchants: MerchantCache;
  readonly rateLimiter: RequestLimiter;
  /** The group commit new orders are written through (store/order-batch.ts). */
  readonly orderBatcher: OrderBatcher;
  /** Called after a commit that queued jobs, so this process's workers run them now. */
  readonly waker: Waker;
  /** Names this gateway process in records it writes (host, pid, random suffix). */
  readonly nodeId: string;
  /** The clock, injectable so tests can move it. */
  readonly now: () => Date;
}

/**
 * Per-merchant requests per second across every node (api/rate-limiter.ts is the one the gateway
 * builds). Declared here, below the API and the jobs that use it, so the context needs nothing above it.
 */
export interface RequestLimiter {
  /** Counts a request; false when it would exceed the merchant's limit for this second. */
  allow(merchantNo: string, limitPerSecond: number, nowMs?: number): boolean;
  /** Writes the last counts. */
  close(): Promise<void>;
}

/** Wakes this process's workers after a commit that queued a job (jobs/wake.ts is the one the gateway builds). */
export interface Waker {
  wake(): void;
  /** Resolves on the next wake, or after `ms`, whichever comes first. */
  nextWake(ms: number): Promise<void>;
}
