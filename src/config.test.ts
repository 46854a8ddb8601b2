import { describe, expect, it } from 'vitest';
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
    ['DATABASE_URL', 'postgres://primary:5432,standby:5432/payrail'],
    ['DATABASE_URL', 'postgres://db.example:port/payrail'],
    ['LOG_LEVEL', 'loud'],
  ])('stops on a bad %s and names it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable} is invalid`));
  });

  it('does not echo a DATABASE_URL it refuses: it may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://payrail:hunter2@a:5432,b:5432/payrail' })).toThrow(/^DATABASE_URL is invalid: the PostgreSQL driver cannot parse it/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://payrail:hunter2@a:5432,b:5432/payrail' })).not.toThrow(/hunter2/);
    expect(loadConfig({ DATABASE_URL: 'postgresql://payrail:secret@db.internal:6432/payrail' }).databaseUrl).toBe('postgresql://payrail:secret@db.internal:6432/payrail');
  });

  it('refuses production without a master key', () => {
    expect(() => loadConfig({ PAYRAIL_ENV: 'production' })).toThrow(/PAYRAIL_MASTER_KEY/);
  });
});
