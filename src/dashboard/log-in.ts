import type { GatewayContext } from '../context.ts';
import { hashPassword, verifyPassword } from '../secrets/password.ts';
import { findAdmin, findAdminByEmail, useTotpStep, type AdminRow } from '../store/console/admins.ts';
import { totpStep } from '../secrets/totp.ts';
import { clearLoginCounter, isKnownLoginAddress, releaseLoginTry, rememberLoginAddress, reserveLoginTry, type LoginLimit } from '../store/console/login-counters.ts';

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

/**
 * `needsCode`: the password was right and the user has a second factor, so the login goes on to
 * the code step (logInCode). A refusal names the user it concerned when there is one (for the
 * audit log); the page says the same for every `invalid` and `disabled`.
 */
export type LoginResult = { ok: true; admin: AdminRow; needsCode: boolean } | { ok: false; reason: 'invalid' | 'locked' | 'disabled'; admin?: AdminRow | undefined };

// Unknown emails are checked against this, so they cost the same scrypt time as known ones.
let decoy: Promise<string> | undefined;

/** The limits one login try of `email` from `address` counts under. */
async function loginLimits(context: GatewayContext, email: string, address: string): Promise<LoginLimit[]> {
  const limits: LoginLimit[] = [
    { key: `pair:${email} ${address}`, max: LOGIN_LIMITS.perEmailAndAddress },
    { key: `address:${address}`, max: LOGIN_LIMITS.perAddress },
  ];
  if (!(await isKnownLoginAddress(context.db, email, address))) {
    limits.push({ key: `email:${email}`, max: LOGIN_LIMITS.perEmailFromNewAddresses });
  }
  return limits;
}

/** A login that passed every step: its tries are given back and the address is remembered. */
async function loginPassed(context: GatewayContext, email: string, address: string, limits: LoginLimit[]) {
  const pairKey = `pair:${email} ${address}`;
  await releaseLoginTry(context.db, limits.map((limit) => limit.key).filter((key) => key !== pairKey));
  await clearLoginCounter(context.db, pairKey);
  await rememberLoginAddress(context.db, email, address, context.now());
}

/** Checks a user's email and password from a client address, with the try counters as the brake on guessing. */
export async function logIn(context: GatewayContext, email: string, password: string, address: string): Promise<LoginResult> {
  if (!email || !password) return { ok: false, reason: 'invalid' };
  const normalised = email.toLowerCase();
  const limits = await loginLimits(context, normalised, address);
  if (!(await reserveLoginTry(context.db, limits, LOGIN_LIMITS.windowMs, context.now()))) {
    return { ok: false, reason: 'locked' };
  }

  const admin = await findAdminByEmail(context.db, normalised);
  const matches = await verifyPassword(password, admin?.password_hash ?? (await (decoy ??= hashPassword('decoy'))));
  if (!admin || !matches) return { ok: false, reason: 'invalid', admin };
  if (admin.disabled_at !== null) return { ok: false, reason: 'disabled', admin };
  // The password try stays counted until the code is right too.
  if (admin.totp_secret_sealed !== null) return { ok: true, admin, needsCode: true };

  await loginPassed(context, normalised, address, limits);
  return { ok: true, admin, needsCode: false };
}

/**
 * The second step of a login with a second factor: a code from the user's authenticator,
 * counted under the same limits as passwords, and accepted for one time step only once.
 */
export async function logInCode(context: GatewayContext, adminId: number, code: string, address: string): Promise<LoginResult> {
  const admin = await findAdmin(context.db, adminId);
  if (!admin || admin.totp_secret_sealed === null) return { ok: false, reason: 'invalid', admin };
  const limits = await loginLimits(context, admin.email, address);
  if (!(await reserveLoginTry(context.db, limits, LOGIN_LIMITS.windowMs, context.now()))) return { ok: false, reason: 'locked', admin };
  if (admin.disabled_at !== null) return { ok: false, reason: 'disabled', admin };
  const step = totpStep(context.masterKey.open(admin.totp_secret_sealed), code.replace(/\s+/g, ''), context.now());
  if (step === undefined || !(await useTotpStep(context.db, admin.id, step))) return { ok: false, reason: 'invalid', admin };
  await loginPassed(context, admin.email, address, limits);
  return { ok: true, admin, needsCode: false };
}
