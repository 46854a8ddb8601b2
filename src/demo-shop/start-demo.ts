import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { buildGateway } from '../server.ts';
import { createMerchant } from '../store/merchants.ts';
import { startDemoShop } from './shop.ts';

/**
 * `payrail demo`: a gateway in test mode on a fresh embedded database (or DATABASE_URL), a
 * merchant for the shop, and the demo shop on its own port, which talks to the gateway only
 * through the merchant SDK. Answers the shop's URL and how to stop it all.
 */
export async function startDemo(options: { port: number; shopPort: number; env?: Record<string, string | undefined> }) {
  const source = options.env ?? process.env;
  const dataDir = source.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-demo-'));
  const config = loadConfig(source, {
    PORT: options.port,
    DATA_DIR: dataDir,
    ...(source.PUBLIC_URL ? {} : { PUBLIC_URL: `http://127.0.0.1:${options.port}` }),
    ...(source.LOG_LEVEL ? {} : { LOG_LEVEL: 'warn' as const }),
  });
  const gateway = await buildGateway({ config });
  try {
    const { merchantNo, appSecret } = await createMerchant(gateway.context.db, gateway.context.masterKey, { name: 'Payrail Demo Shop' });
    // Short polls so the order turns paid within a second of the payment.
    gateway.startWorkers({ concurrency: 4, pollMs: 250, sweepEveryMs: 1_000 });
    await gateway.app.listen({ port: config.port, host: config.host });
    const shopHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const shop = await startDemoShop({
      port: options.shopPort,
      host: config.host,
      publicUrl: `http://${shopHost}:${options.shopPort}`,
      payrail: { baseUrl: config.publicUrl, merchantNo, appSecret },
    });
    return {
      url: shop.url,
      gatewayUrl: config.publicUrl,
      async close() {
        await shop.close();
        await gateway.close();
        if (!source.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await gateway.close();
    throw error;
  }
}
