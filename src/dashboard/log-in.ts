import type { GatewayContext } from '../context.ts';
import { hashPassword, verifyPassword } from '../secrets/password.ts';
import { clearLoginFailures, findAdminByEmail, loginLocked, recordLoginFailure, type AdminRow, type LoginThrottle } from '../store/admins.ts';

/** Five wrong passwords per email per 15 minutes, counted in the database so every node agrees. */
export const LOGIN_THROTTLE: LoginThrottle = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

export type LoginResult = { ok: true; admin: AdminRow } | { ok: false; reason: 'invalid' | 'locked' };

// Unknown emails are checked against this, so they cost the same scrypt time as known ones.
let decoy: Promise<string> | undefined;

/** Checks an operator's email and password, with the failure counter as the brake on guessing. */
export async function logIn(context: GatewayContext, email: string, password: string): Promise<LoginResult> {
  const now = context.now();
  if (!email || !password) return { ok: false, reason: 'invalid' };
  if (await loginLocked(context.db, email, LOGIN_THROTTLE, now)) return { ok: false, reason: 'locked' };
  const admin = await findAdminByEmail(context.db, email);
  const matches = await verifyPassword(password, admin?.password_hash ?? (await (decoy ??= hashPassword('decoy'))));
  if (!admin || !matches) {
    await recordLoginFailure(context.db, email, LOGIN_THROTTLE, now);
    return { ok: false, reason: 'invalid' };
  }
  await clearLoginFailures(context.db, email);
  return { ok: true, admin };
}
