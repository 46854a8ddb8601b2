import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { stringify as losslessStringify } from 'lossless-json';
import { describe, inject } from 'vitest';
import { loadConfig, type Env } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { buildGateway, type Gateway } from '../../src/server.ts';
import { createMerchant, type NewMerchant } from '../../src/store/merchants.ts';
import { createLogger } from '../../src/logger.ts';
import type { DestinationStream } from 'pino';
import { createAcquirer, type Acquirer, type SimulatorAcquirer } from '../../src/acquirers/index.ts';
import { createDatabaseSimulatorStore } from '../../src/store/simulator-records.ts';
import { signBody, type SaltPlacement, type SignType, type WireBody } from '../../src/domain/signature.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

/** Runs a suite once on the embedded database and once on the PostgreSQL server of the test run. */
export function describeEachDatabase(name: string, suite: (kind: DatabaseKind) => void) {
  for (const kind of DATABASE_KINDS) describe(`${name} [${kind}]`, () => suite(kind));
}

/** A fresh, migrated, empty database of the given kind, and a data folder beside it. */
export async function freshDatabase(kind: DatabaseKind): Promise<{ handle: DatabaseHandle; dataDir: string; databaseUrl?: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-test-'));
  if (kind === 'pglite') {
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return { handle: await openDatabase({ dataDir }), dataDir };
  }
  const name = `payrail_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = inject('postgresUrl').replace(/\/[^/]*$/, `/${name}`);
  return { handle: await openDatabase({ databaseUrl, dataDir }), dataDir, databaseUrl };
}

export interface TestMerchant {
  merchantNo: string;
  appSecret: string;
}

export interface TestGateway {
  readonly gateway: Gateway;
  /** The in-process simulator acquirer this gateway pays through. */
  readonly acquirer: SimulatorAcquirer;
  readonly merchant: TestMerchant;
  readonly dataDir: string;
  addMerchant(merchant?: Partial<NewMerchant>): Promise<TestMerchant>;
  /** POSTs a body signed as a merchant would (suffix MD5 unless told otherwise). */
  post(url: string, fields: WireBody, options?: SignedPostOptions): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface SignedPostOptions {
  merchant?: TestMerchant;
  placement?: SaltPlacement;
  signType?: SignType;
  secret?: string;
  /** Leave the fields exactly as given: no timestamp added, no sign. */
  raw?: boolean;
}

export function signedBody(fields: WireBody, secret: string, options: SignedPostOptions = {}): WireBody {
  const body: WireBody = { timestamp: String(Date.now()), ...fields };
  if (options.signType === 'HMAC-SHA256') body.signType = 'HMAC-SHA256';
  body.sign = signBody(body, secret, { signType: options.signType ?? 'MD5', placement: options.placement ?? 'suffix' });
  return body;
}

export async function startTestGateway(
  kind: DatabaseKind,
  env: Partial<Env> = {},
  options: {
    acquirer?: Acquirer;
    acquirers?: Acquirer[];
    configuredAcquirers?: boolean;
    logTo?: DestinationStream;
    /** A database prepared by the test (an upgrade from older migrations), instead of a fresh one; closed with the gateway. */
    database?: { handle: DatabaseHandle; dataDir: string };
  } = {},
): Promise<TestGateway> {
  const { handle, dataDir } = options.database ?? (await freshDatabase(kind));
  const config = loadConfig({ PAYRAIL_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, env);
  const acquirer = createAcquirer('simulator', { timeoutDelayMs: 20, store: createDatabaseSimulatorStore(handle.db) });
  const gateway = await buildGateway({ config, database: handle, logger: createLogger(config.logLevel, options.logTo),
    ...(options.configuredAcquirers ? {} : { acquirer: options.acquirer ?? acquirer, acquirers: options.acquirers }),
  });
  const addMerchant = (merchant: Partial<NewMerchant> = {}) =>
    createMerchant(gateway.context.db, gateway.context.masterKey, { name: 'Test Store', ...merchant });
  const merchant = await addMerchant();
  return {
    gateway,
    acquirer,
    merchant,
    dataDir,
    addMerchant,
    async post(url, fields, options = {}) {
      const as = options.merchant ?? merchant;
      const body = options.raw ? fields : signedBody(fields, options.secret ?? as.appSecret, options);
      const response = await gateway.app.inject({
        method: 'POST',
        url,
        headers: { merchantNo: as.merchantNo, 'content-type': 'application/json' },
        // LosslessNumber values go out as JSON numbers, as written
        payload: losslessStringify(body)!,
      });
      return { status: response.statusCode, body: response.json() };
    },
    async close() {
      await gateway.close();
      await handle.close();
      await acquirer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let tradeCounter = 0;

/** A valid create-checkout body with a fresh tradeNo. */
export function checkoutFields(overrides: WireBody = {}): WireBody {
  tradeCounter += 1;
  return {
    tradeNo: `T${Date.now()}${tradeCounter}`,
    amount: '300.00',
    mobile: '918234567890',
    email: 'buyer@example.com',
    userId: 'Test',
    currency: 'USD',
    notifyUrl: 'https://merchant.example/notify',
    returnUrl: 'https://merchant.example/return',
    remark: 'order 7',
    ...overrides,
  };
}
