import { Secret, TOTP } from 'otpauth';

/**
 * The console's optional second factor: RFC 6238 codes (6 digits, 30-second steps, SHA-1, which
 * is what authenticator apps read from an `otpauth://` URI), checked with the otpauth library.
 */
export const TOTP_PERIOD_MS = 30_000;
const ISSUER = 'Payrail';

const totp = (secretBase32: string, label: string) =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_MS / 1000, secret: Secret.fromBase32(secretBase32) });

/** A new 160-bit shared secret, in base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://totp/...` URI an authenticator app enrols from (shown as a QR code). */
export const totpUri = (secretBase32: string, account: string): string => totp(secretBase32, account).toString();

/**
 * The time step a code belongs to when it is right now or one step either side (clock drift),
 * else undefined. The caller accepts each step once (store/console/admins.ts, useTotpStep).
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | undefined {
  if (!/^[0-9]{6}$/.test(code)) return undefined;
  const delta = totp(secretBase32, '').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / TOTP_PERIOD_MS) + delta;
}
