import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      env: 'development',
      acquirer: 'simulator',
      orderTtlMinutes: 30,
      signWindowSeconds: 600,
      notifySchedule: '2s,5s,10s,30s,1h,3h,3h,3h',
      notifyAllowPrivate: true,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives PUBLIC_URL from PORT and forbids private notify targets in production', () => {
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    const production = loadConfig({ PAYRAIL_ENV: 'production', PAYRAIL_MASTER_KEY: 'a'.repeat(64) });
    expect(production.notifyAllowPrivate).toBe(false);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PAYRAIL_ENV', 'staging'],
    ['SIGN_WINDOW_SECONDS', '-1'],
    ['NOTIFY_SCHEDULE', '2 seconds'],
    ['DATABASE_URL', 'mysql://x'],
    // The driver's own parser refuses these; the schema's pattern alone would let them through.
    ['DATABASE_URL', 'postgres://primary:5432,standby:5432/payrail?target_session_attrs=standby'],
    ['DATABASE_URL', 'postgres://primary:5432,,standby:5432/payrail'],
    ['DATABASE_URL', 'postgres://db.example:port/payrail'],
    ['LOG_LEVEL', 'loud'],
  ])('stops on a bad %s and names it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable} is invalid`));
  });

  it('does not echo a DATABASE_URL it refuses: it may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://payrail:hunter2@a:port/payrail' })).toThrow(/^DATABASE_URL is invalid: host 1 of the host list is empty or malformed/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://payrail:hunter2@a:port/payrail' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://payrail:hunter2@a:5432/payrail?sslmode=verify-full&sslrootcert=/no/such/file' })).toThrow(
      /^DATABASE_URL is invalid: the PostgreSQL driver cannot parse it/,
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://payrail:secret@db.internal:6432/payrail' }).databaseUrl).toBe('postgresql://payrail:secret@db.internal:6432/payrail');
  });

  it("takes libpq's multi-host DATABASE_URL and a DATABASE_READ_URL, which needs DATABASE_URL", () => {
    const multiHost = 'postgres://payrail@db1:5432,db2:5433/payrail?target_session_attrs=read-write';
    expect(loadConfig({ DATABASE_URL: multiHost }).databaseUrl).toBe(multiHost);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db1,db2/payrail?target_session_attrs=read-only' })).toThrow(/^DATABASE_URL is invalid: target_session_attrs=read-only could send the gateway's writes to a standby/);
    const read = loadConfig({ DATABASE_URL: multiHost, DATABASE_READ_URL: 'postgres://payrail@replica:5432/payrail?target_session_attrs=standby' });
    expect(read.readDatabaseUrl).toBe('postgres://payrail@replica:5432/payrail?target_session_attrs=standby');
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://replica/payrail' })).toThrow(/^DATABASE_READ_URL needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: multiHost, DATABASE_READ_URL: 'postgres://replica/payrail?target_session_attrs=sometimes' })).toThrow(
      /^DATABASE_READ_URL is invalid: target_session_attrs must be one of/,
    );
  });

  it('refuses production without a master key', () => {
    expect(() => loadConfig({ PAYRAIL_ENV: 'production' })).toThrow(/PAYRAIL_MASTER_KEY/);
  });

  /** Every variable that holds a secret, or may (a URL with a password), and a way to get it wrong with `value` in it. */
  const SECRET_BEARING: Record<string, (value: string) => Record<string, string>> = {
    PAYRAIL_MASTER_KEY: (value) => ({ PAYRAIL_MASTER_KEY: value.slice(0, 31) }),
    STRIPE_SECRET_KEY: (value) => ({ STRIPE_SECRET_KEY: `sk_test_${value}-typo` }),
    STRIPE_WEBHOOK_SECRET: (value) => ({ STRIPE_WEBHOOK_SECRET: `whsec_${value} ` }),
    ADYEN_API_KEY: (value) => ({ ACQUIRER: 'adyen', ADYEN_API_KEY: value }),
    ADYEN_HMAC_KEY: (value) => ({ ADYEN_HMAC_KEY: `${value}zz` }),
    DATABASE_URL: (value) => ({ DATABASE_URL: `postgres://payrail:${value}@a:port/payrail` }),
    DATABASE_READ_URL: (value) => ({ DATABASE_URL: 'postgres://db/payrail', DATABASE_READ_URL: `postgres://payrail:${value}@replica/payrail?target_session_attrs=sometimes` }),
    SMTP_URL: (value) => ({ SMTP_URL: `ftp://mailer:${value}@mail.example` }),
    METRICS_TOKEN: (value) => ({ METRICS_TOKEN: `${value} x` }),
  };
  const errorOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a configuration error');
  };

  it.each(Object.keys(SECRET_BEARING))('names %s and what is wrong with it, never its value', (variable) => {
    const secret = 'Sup3rS3cretValueThatMustNotLeak0123456789';
    const error = errorOf(SECRET_BEARING[variable]!(secret));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(secret.slice(0, 12));
  });

  it('never prints a value it refuses, whatever the value (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(SECRET_BEARING)), fc.stringMatching(/^[A-Za-z0-9]{16,40}$/), (variable, secret) => {
        const error = errorOf(SECRET_BEARING[variable]!(`Qx${secret}`));
        expect(error.message).not.toContain(`Qx${secret}`.slice(0, 12));
      }),
    );
  });

  it('refuses production with a processor but not its webhook secret, and says why', () => {
    const production = { PAYRAIL_ENV: 'production', PAYRAIL_MASTER_KEY: 'a'.repeat(64) };
    expect(() => loadConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_abc' })).toThrow(/^STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set in production: without it .* never learns of an asynchronous outcome/);
    expect(() => loadConfig({ ...production, ADYEN_API_KEY: 'k', ADYEN_MERCHANT_ACCOUNT: 'M' })).toThrow(/^ADYEN_HMAC_KEY is required when ADYEN_API_KEY is set in production/);
    expect(loadConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).connectors.stripe?.webhookSecret).toBeDefined();
    // Outside production it starts; `payrail start` says the secret is not set.
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' }).connectors.stripe?.webhookSecret).toBeUndefined();
  });
});
