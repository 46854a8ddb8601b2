import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { GatewayContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../store/audit-log.ts';

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
