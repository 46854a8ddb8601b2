import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { GatewayContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit, recordLoginAudit } from '../store/console/audit-log.ts';

export interface AuditedAction {
  /** A dotted name such as `order.refund`, `merchant.rotate-secret`, `user.invite`. */
  action: string;
  /** What it was done to: an order number, a merchant number, a user's email. */
  target: string | null;
  /** The merchant concerned, so that merchant's users see the row too. */
  merchantNo: string | null;
  outcome?: 'ok' | 'refused';
  /** For a changed setting: the values before and after. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Records a console action of the signed-in user in the audit log. Pass `db` (a transaction)
 * when the action runs in one, so the row commits with the change it describes.
 */
export async function auditAction(context: GatewayContext, request: FastifyRequest, done: AuditedAction, db: Kysely<Database> = context.db) {
  const user = request.admin;
  await recordAudit(
    db,
    {
      actorId: user?.id ?? null,
      actorEmail: user?.email ?? '',
      actorRole: user?.role ?? 'anonymous',
      merchantNo: done.merchantNo,
      ip: request.ip,
      action: done.action,
      target: done.target,
      outcome: done.outcome ?? 'ok',
      before: done.before ?? null,
      after: done.after ?? null,
    },
    context.now(),
  );
}

/** A login step, logout included: the email it named (the user that has it, or `anonymous`), from where, and how it ended. */
export interface AuditedLogin {
  action: 'login' | 'login.password' | 'login.totp' | 'logout';
  /** The email tried, even when no user has it. */
  email: string;
  outcome: 'ok' | 'refused';
  /** Why a try was refused: `invalid`, `locked`, `disabled`, `expired`. Never the password or the code. */
  reason?: string;
}

/** One statement, so that a burst of refused logins costs the database as little as it can. */
export const auditLogin = (context: GatewayContext, request: FastifyRequest, done: AuditedLogin) =>
  recordLoginAudit(
    context.db,
    { email: done.email.slice(0, 254), ip: request.ip, action: done.action, outcome: done.outcome, after: done.reason ? { reason: done.reason } : null },
    context.now(),
  );

/**
 * The settings that differ between two snapshots, as the before/after of an audit row. Give only
 * settings: never a secret or a password hash.
 */
export function changedSettings<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const was: Partial<T> = {};
  const now: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    was[key] = before[key];
    now[key] = after[key];
  }
  return { before: was, after: now };
}
