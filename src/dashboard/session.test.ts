import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.ts';
import { sessionCookieOptions } from './authenticate.ts';
import { parseSession, sessionMacMatches, signSession } from './session.ts';

const key = Buffer.alloc(32, 3);
const now = new Date('2030-01-01T00:00:00Z');
const claims = { adminId: 7, expiresAt: now.getTime() + 60_000 };

describe('dashboard session cookie', () => {
  it('accepts what it signed, until it expires', () => {
    const value = signSession(key, claims, 'hash-a');
    const parsed = parseSession(value, now)!;
    expect(parsed).toMatchObject(claims);
    expect(sessionMacMatches(key, parsed, 'hash-a')).toBe(true);
    expect(parseSession(value, new Date(claims.expiresAt))).toBeUndefined();
  });

  it('refuses a changed admin id or expiry, another key, or a changed password hash', () => {
    const value = signSession(key, claims, 'hash-a');
    const [, expires, tag] = value.split('.');
    expect(sessionMacMatches(key, parseSession(`8.${expires}.${tag}`, now)!, 'hash-a')).toBe(false);
    expect(sessionMacMatches(key, parseSession(`7.${Number(expires) + 1}.${tag}`, now)!, 'hash-a')).toBe(false);
    expect(sessionMacMatches(Buffer.alloc(32, 4), parseSession(value, now)!, 'hash-a')).toBe(false);
    expect(sessionMacMatches(key, parseSession(value, now)!, 'hash-b')).toBe(false);
  });

  it('refuses malformed values', () => {
    for (const value of [undefined, '', 'x', '7.123.abc', `0.${claims.expiresAt}.${'a'.repeat(43)}`, `7.${claims.expiresAt}.${'a'.repeat(43)}.x`]) {
      expect(parseSession(value, now)).toBeUndefined();
    }
  });
});

describe('dashboard session cookie attributes', () => {
  const options = (env: string) => sessionCookieOptions({ config: { env } } as unknown as GatewayContext);

  it('is HttpOnly, SameSite=Strict, scoped to /dashboard, and Secure in production only', () => {
    expect(options('production')).toEqual({ path: '/dashboard', httpOnly: true, sameSite: 'strict', secure: true });
    expect(options('development').secure).toBe(false);
  });
});
