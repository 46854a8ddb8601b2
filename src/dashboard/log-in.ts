import type { GatewayContext } from '../context.ts';
import { hashPassword, verifyPassword } from '../secrets/password.ts';
import { findAdminByEmail, type AdminRow } from '../store/admins.ts';
import { clearLoginCounter, isKnownLoginAddress, releaseLoginTry, rememberLoginAddress, reserveLoginTry, type LoginLimit } from '../store/login-counters.ts';

/**
 * Limits on dashboard login tries per 15 minutes, counted in the database so every node agrees,
 * and reserved before the password is checked so that concurrent tries count too:
 * - one email from one address: 5 (the guessing brake);
 * - one address, whatever the emails: 20 (so one address cannot go through many accounts);
 * - one email from addresses it has never signed in from: 50 (guessing spread over many addresses).
 * Addresses an operator has signed in from are exempt from the last: nobody elsewhere can lock
 * an operator out; the most anyone can lock is their own address.
 */
export const LOGIN_LIMITS = { perEmailAndAddress: 5, perAddress: 20, perEmailFromNewAddresses: 50, windowMs: 15 * 60 * 1000 } as const;

export type LoginResult = { ok: true; admin: AdminRow } | { ok: false; reason: 'invalid' | 'locked' };

// Unknown emails are checked against this, so they cost the same scrypt time as known ones.
let decoy: Promise<string> | undefined;

/** Checks an operator's email and password from a client address, with the try counters as the brake on guessing. */
export async function logIn(context: GatewayContext, email: string, password: string, address: string): Promise<LoginResult> {
  const now = context.now();
  if (!email || !password) return { ok: false, reason: 'invalid' };
  const normalised = email.toLowerCase();
  const pairKey = `pair:${normalised} ${address}`;
  const limits: LoginLimit[] = [
    { key: pairKey, max: LOGIN_LIMITS.perEmailAndAddress },
    { key: `address:${address}`, max: LOGIN_LIMITS.perAddress },
  ];
  if (!(await isKnownLoginAddress(context.db, normalised, address))) {
    limits.push({ key: `email:${normalised}`, max: LOGIN_LIMITS.perEmailFromNewAddresses });
  }
  if (!(await reserveLoginTry(context.db, limits, LOGIN_LIMITS.windowMs, now))) return { ok: false, reason: 'locked' };

  const admin = await findAdminByEmail(context.db, normalised);
  const matches = await verifyPassword(password, admin?.password_hash ?? (await (decoy ??= hashPassword('decoy'))));
  if (!admin || !matches) return { ok: false, reason: 'invalid' };

  await releaseLoginTry(context.db, limits.map((limit) => limit.key).filter((key) => key !== pairKey));
  await clearLoginCounter(context.db, pairKey);
  await rememberLoginAddress(context.db, normalised, address, now);
  return { ok: true, admin };
}
