import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatabaseUrlError, fits, needsLocating, parseDatabaseUrl } from './database-url.ts';

describe('parseDatabaseUrl', () => {
  it("reads libpq's multi-host form: every host in order, the rest as the driver reads it", () => {
    const target = parseDatabaseUrl('postgres://pay%40rail:s%3Acret@db1:5432,db2:5433,[::1]/payrail?target_session_attrs=read-write&application_name=gw', { writes: true });
    expect(target.hosts).toEqual([
      { host: 'db1', port: 5432 },
      { host: 'db2', port: 5433 },
      { host: '::1', port: 5432 },
    ]);
    expect(target.connection).toMatchObject({ user: 'pay@rail', password: 's:cret', database: 'payrail', application_name: 'gw' });
    expect(target.connection).not.toHaveProperty('target_session_attrs');
    expect(target.sessionTarget).toBe('read-write');
    expect(needsLocating(target)).toBe(true);
  });

  it('leaves one host without a target alone, and reads a socket folder from ?host=', () => {
    const one = parseDatabaseUrl('postgres://payrail@db:6432/payrail', { writes: true });
    expect(one).toMatchObject({ hosts: [{ host: 'db', port: 6432 }], sessionTarget: 'any', transactionPooler: false });
    expect(needsLocating(one)).toBe(false);
    expect(parseDatabaseUrl('postgres:///payrail?host=/run/postgresql').hosts).toEqual([{ host: '/run/postgresql', port: 5432 }]);
  });

  it('defaults the gateway URL with several hosts to read-write and refuses targets that could pick a standby', () => {
    expect(parseDatabaseUrl('postgres://a,b/payrail', { writes: true }).sessionTarget).toBe('read-write');
    expect(parseDatabaseUrl('postgres://a,b/payrail').sessionTarget).toBe('any');
    for (const target of ['standby', 'read-only', 'prefer-standby', 'any']) {
      expect(() => parseDatabaseUrl(`postgres://a,b/payrail?target_session_attrs=${target}`, { writes: true })).toThrow(DatabaseUrlError);
    }
    expect(parseDatabaseUrl('postgres://a,b/payrail?target_session_attrs=standby').sessionTarget).toBe('standby');
  });

  it('reads pgbouncer=transaction and refuses other values', () => {
    expect(parseDatabaseUrl('postgres://pooler:6432/payrail?pgbouncer=transaction').transactionPooler).toBe(true);
    expect(() => parseDatabaseUrl('postgres://pooler:6432/payrail?pgbouncer=session')).toThrow(/pgbouncer must be "transaction"/);
  });

  it('refuses malformed host lists without echoing the URL', () => {
    for (const url of ['postgres://u:hunter2@a:5432,,b/db', 'postgres://u:hunter2@a:port/db', 'postgres://u:hunter2@a:99999/db', 'postgres://u:hunter2@a b/db']) {
      expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
      expect(() => parseDatabaseUrl(url)).not.toThrow(/hunter2/);
    }
  });

  it('keeps any list of host:port pairs, in order (property)', () => {
    const host = fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/);
    const port = fc.integer({ min: 1, max: 65535 });
    fc.assert(
      fc.property(fc.array(fc.tuple(host, port), { minLength: 1, maxLength: 5 }), (pairs) => {
        const url = `postgres://payrail@${pairs.map(([h, p]) => `${h}:${p}`).join(',')}/payrail`;
        expect(parseDatabaseUrl(url).hosts).toEqual(pairs.map(([h, p]) => ({ host: h, port: p })));
      }),
    );
  });
});

describe('fits', () => {
  const primary = { inRecovery: false, readOnly: false };
  const standby = { inRecovery: true, readOnly: true };
  it("matches libpq's meanings of target_session_attrs", () => {
    expect([fits('read-write', primary), fits('read-write', standby)]).toEqual([true, false]);
    expect([fits('primary', primary), fits('primary', standby)]).toEqual([true, false]);
    expect([fits('standby', primary), fits('standby', standby)]).toEqual([false, true]);
    expect([fits('read-only', { inRecovery: false, readOnly: true })]).toEqual([true]);
    expect([fits('prefer-standby', primary, 'first'), fits('prefer-standby', primary, 'second')]).toEqual([false, true]);
    expect(fits('any', standby)).toBe(true);
  });
});
