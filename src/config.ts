import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDatabaseUrl } from './db/database-url.ts';
import { ACQUIRER_NAMES, CONNECTORS, CONNECTOR_VARIABLES, DEFAULT_ACQUIRER, type AcquirerName, type ConnectorSettings } from './acquirers/index.ts';

/**
 * Configuration comes from the environment (README.md, "Configuration"), is validated
 * against one schema (each connector's variables are its own, composed here from the registry,
 * src/acquirers/index.ts), and is frozen. A bad value stops start-up with a message naming the
 * variable and the rule it breaks, never the value: a mistyped key or URL is still a secret.
 */
const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_READ_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  PAYRAIL_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PAYRAIL_MASTER_KEY: Type.Optional(Type.String({ minLength: 32 })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  ACQUIRER: Type.Union(ACQUIRER_NAMES.map((name) => Type.Literal(name)), { default: DEFAULT_ACQUIRER }),
  ...CONNECTOR_VARIABLES,
  ACQUIRER_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  ORDER_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 30 }),
  SIGN_WINDOW_SECONDS: Type.Integer({ minimum: 0, default: 600 }),
  NOTIFY_SCHEDULE: Type.String({ pattern: '^\\s*\\d+\\s*(ms|s|m|h)\\s*(,\\s*\\d+\\s*(ms|s|m|h)\\s*)*$', default: '2s,5s,10s,30s,1h,3h,3h,3h' }),
  NOTIFY_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  NOTIFY_ALLOW_PRIVATE: Type.Optional(Type.Boolean()),
  MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
  CARD_DECLINES_PER_DAY: Type.Integer({ minimum: 1, default: 10 }),
  IP_DECLINES_PER_HOUR: Type.Integer({ minimum: 1, default: 20 }),
  TRUST_PROXY: Type.Optional(Type.Boolean()),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, pattern: '^[\\x21-\\x7e]+$' })),
  MAIL_FROM: Type.Optional(Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$' })),
  SETTLEMENT_DELAY_HOURS: Type.Integer({ minimum: 0, maximum: 24 * 60, default: 24 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
});

export type Env = Static<typeof Env>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** A replica for the console's lists, CSV exports and overview; never for money. */
  readonly readDatabaseUrl: string | undefined;
  readonly env: 'development' | 'production' | 'test';
  /** Unset in development: generated into DATA_DIR on first start (see src/secrets/master-key.ts). */
  readonly masterKey: string | undefined;
  readonly smtpUrl: string | undefined;
  /** The default connector for every merchant without a list of its own. */
  readonly acquirer: AcquirerName;
  /** Each connector configured on this gateway, by name, with its settings (its own `configure`). */
  readonly connectors: ConnectorSettings;
  /** How long an acquirer call may take before its outcome counts as unknown. */
  readonly acquirerTimeoutMs: number;
  readonly orderTtlMinutes: number;
  readonly signWindowSeconds: number;
  readonly notifySchedule: string;
  readonly notifyTimeoutMs: number;
  readonly notifyAllowPrivate: boolean;
  readonly maxAttempts: number;
  /** Card-testing defence: declines allowed per card fingerprint per 24 h, per client IP per hour. */
  readonly cardDeclinesPerDay: number;
  readonly ipDeclinesPerHour: number;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy only). */
  readonly trustProxy: boolean;
  /** A request must arrive in full (headers and body) within this; slow clients are cut off. */
  readonly requestTimeoutMs: number;
  /** How long a stop (SIGTERM, Ctrl-C) waits for requests, jobs and connections before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Sender of receipt emails. */
  readonly mailFrom: string;
  /** Paid orders settle (pending → available) this long after payment: T+1 by default. */
  readonly settlementDelayHours: number;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Environment strings to the schema's types; anything unparseable stays a string and fails validation. */
function coerce(source: Record<string, string | undefined>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(Env.properties)) {
    const value = source[key];
    if (value === undefined || value === '') continue;
    const type = (Env.properties as Record<string, { type?: unknown }>)[key]?.type;
    if (type === 'integer' && /^-?\d+$/.test(value)) raw[key] = Number(value);
    else if (type === 'boolean' && /^(true|false|1|0)$/.test(value)) raw[key] = value === 'true' || value === '1';
    else raw[key] = value;
  }
  return raw;
}

/**
 * The URLs are parsed at start-up as the gateway will use them (libpq's multi-host form included,
 * with the driver's own parser for the rest), so a bad one stops start-up here and not at the
 * first connection. The URL is not echoed: it may hold a password.
 */
function checkDatabaseUrl(variable: 'DATABASE_URL' | 'DATABASE_READ_URL', url: string) {
  try {
    parseDatabaseUrl(url, { writes: variable === 'DATABASE_URL' });
  } catch (error) {
    throw new ConfigError(
      `${variable} is invalid: ${(error as Error).message}; e.g. postgres://user:password@host:5432/payrail, ` +
        `or with a standby postgres://user:password@host1:5432,host2:5432/payrail?target_session_attrs=read-write`,
    );
  }
}

/** Each connector's settings from its own variables; it refuses a combination that cannot work. */
function configureConnectors(env: Env): ConnectorSettings {
  const settings: Record<string, unknown> = {};
  const setting = { production: env.PAYRAIL_ENV === 'production', refuse: (message: string): never => { throw new ConfigError(message); } };
  for (const connector of CONNECTORS) {
    const configured = (connector.configure as (variables: Env, setting: object) => unknown)(env, { ...setting, isDefault: env.ACQUIRER === connector.name });
    if (configured !== undefined) settings[connector.name] = configured;
  }
  return Object.freeze(settings) as ConnectorSettings;
}

export function loadConfig(source: Record<string, string | undefined> = process.env, overrides: Partial<Env> = {}): Config {
  const raw = { ...Value.Default(Env, coerce(source)) as object, ...overrides };
  const firstError = Value.Errors(Env, raw).First();
  if (firstError) {
    const variable = firstError.path.replace(/^\//, '').split('/')[0] || 'environment';
    // The rule (TypeBox's message names the type, length or pattern expected), never the value.
    throw new ConfigError(`${variable} is invalid: ${firstError.message}`);
  }
  const env = raw as Env;
  if (env.PAYRAIL_ENV === 'production' && !env.PAYRAIL_MASTER_KEY) {
    throw new ConfigError('PAYRAIL_MASTER_KEY is required when PAYRAIL_ENV is production');
  }
  if (env.DATABASE_URL) checkDatabaseUrl('DATABASE_URL', env.DATABASE_URL);
  if (env.DATABASE_READ_URL) {
    if (!env.DATABASE_URL) throw new ConfigError('DATABASE_READ_URL needs DATABASE_URL: the embedded database has no replicas');
    checkDatabaseUrl('DATABASE_READ_URL', env.DATABASE_READ_URL);
  }
  const connectors = configureConnectors(env);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    readDatabaseUrl: env.DATABASE_READ_URL,
    env: env.PAYRAIL_ENV,
    masterKey: env.PAYRAIL_MASTER_KEY,
    smtpUrl: env.SMTP_URL,
    acquirer: env.ACQUIRER,
    connectors,
    acquirerTimeoutMs: env.ACQUIRER_TIMEOUT_MS,
    orderTtlMinutes: env.ORDER_TTL_MINUTES,
    signWindowSeconds: env.SIGN_WINDOW_SECONDS,
    notifySchedule: env.NOTIFY_SCHEDULE,
    notifyTimeoutMs: env.NOTIFY_TIMEOUT_MS,
    notifyAllowPrivate: env.NOTIFY_ALLOW_PRIVATE ?? env.PAYRAIL_ENV !== 'production',
    maxAttempts: env.MAX_ATTEMPTS,
    cardDeclinesPerDay: env.CARD_DECLINES_PER_DAY,
    ipDeclinesPerHour: env.IP_DECLINES_PER_HOUR,
    trustProxy: env.TRUST_PROXY ?? false,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    metricsToken: env.METRICS_TOKEN,
    mailFrom: env.MAIL_FROM ?? `no-reply@${new URL(publicUrl).hostname}`,
    settlementDelayHours: env.SETTLEMENT_DELAY_HOURS,
    logLevel: env.LOG_LEVEL,
  });
}
