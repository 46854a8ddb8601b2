import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dashboard session is a signed cookie, not a server-side record, so any gateway node with the
 * same master key accepts it and no node keeps state. It carries the admin id and an expiry;
 * the MAC also covers the admin's password hash, so resetting a password ends that admin's
 * sessions everywhere.
 */
export const SESSION_COOKIE = 'payrail_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionClaims {
  adminId: number;
  expiresAt: number;
}

const VALUE = /^([1-9][0-9]{0,15})\.([0-9]{13})\.([A-Za-z0-9_-]{43})$/;

const mac = (key: Buffer, claims: SessionClaims, passwordHash: string) =>
  createHmac('sha256', key).update(`v1\n${claims.adminId}\n${claims.expiresAt}\n${passwordHash}`).digest();

/** `<adminId>.<expiresAt ms>.<HMAC-SHA256, base64url>`. */
export function signSession(key: Buffer, claims: SessionClaims, passwordHash: string): string {
  return `${claims.adminId}.${claims.expiresAt}.${mac(key, claims, passwordHash).toString('base64url')}`;
}

/** The claims of a well-formed, unexpired cookie value, before its MAC is checked (that needs the admin). */
export function parseSession(value: string | undefined, now: Date): (SessionClaims & { mac: Buffer }) | undefined {
  const match = value === undefined ? null : VALUE.exec(value);
  if (!match) return undefined;
  const claims = { adminId: Number(match[1]), expiresAt: Number(match[2]), mac: Buffer.from(match[3]!, 'base64url') };
  return claims.expiresAt > now.getTime() ? claims : undefined;
}

export function sessionMacMatches(key: Buffer, claims: SessionClaims & { mac: Buffer }, passwordHash: string): boolean {
  const expected = mac(key, claims, passwordHash);
  return claims.mac.length === expected.length && timingSafeEqual(claims.mac, expected);
}
