import { loadConfig, type Env } from '../src/config.ts';
import { buildGateway, type Gateway } from '../src/server.ts';
import { createMerchant } from '../src/store/merchants.ts';
import { freePort } from '../test/support/postgres-server.ts';
import type { BenchDatabase } from './databases.ts';
import type { BenchMerchant } from './merchant-request.ts';

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly baseUrl: string;
  /** Its rate limit is far above anything the bench can send, so no request is refused for it. */
  readonly merchant: BenchMerchant;
  close(): Promise<void>;
}

/**
 * The real gateway (buildGateway, the configured simulator acquirer in the database) listening on
 * 127.0.0.1, silent, with one merchant. Workers are started by the caller when it needs them.
 */
export async function startGateway(database: BenchDatabase, env: Partial<Env> = {}): Promise<RunningGateway> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig(
    {},
    {
      PAYRAIL_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: port,
      PUBLIC_URL: baseUrl,
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl,
      LOG_LEVEL: 'silent',
      ...env,
    },
  );
  const gateway = await buildGateway({ config, database: database.handle });
  const merchant = await createMerchant(gateway.context.db, gateway.context.masterKey, { name: 'Bench Store', rateLimitPerSecond: 1_000_000_000 });
  await gateway.app.listen({ host: config.host, port: config.port });
  return { gateway, baseUrl, merchant, close: () => gateway.close() };
}
