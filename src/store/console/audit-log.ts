import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditActorRole, ConsoleScope } from '../../domain/console-scope.ts';

/** What one audit row says: who did what to which target, and what a setting was before and after. */
export interface AuditEntry {
  actorId: number | null;
  actorEmail: string;
  actorRole: AuditActorRole;
  merchantNo: string | null;
  ip: string;
  /** A dotted name such as `login`, `order.refund`, `merchant.rotate-secret`. */
  action: string;
  target: string | null;
  outcome: 'ok' | 'refused';
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Appends one row to the audit log; pass the transaction when the action itself runs in one. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at,
      actor_id: entry.actorId,
      actor_email: entry.actorEmail,
      actor_role: entry.actorRole,
      merchant_no: entry.merchantNo,
      ip: entry.ip,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      before_value: entry.before == null ? null : JSON.stringify(entry.before),
      after_value: entry.after == null ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditRow {
  id: string;
  at: Date;
  actorEmail: string;
  actorRole: AuditActorRole;
  merchantNo: string | null;
  ip: string;
  action: string;
  target: string | null;
  outcome: 'ok' | 'refused';
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  action?: string;
  actorEmail?: string;
  /** Only rows at or after `from` and before `until`. */
  from?: Date;
  until?: Date;
  /** Only rows older than this row id (keyset pagination, newest first). */
  beforeId?: string;
  limit: number;
}

/** Audit rows newest first, limited to what the scope may see (a merchant user: its merchant's rows). */
export async function listAudit(db: Kysely<Database>, scope: ConsoleScope, filter: AuditFilter): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorEmail) query = query.where('actor_email', '=', filter.actorEmail);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.until) query = query.where('at', '<', filter.until);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at,
    actorEmail: row.actor_email,
    actorRole: row.actor_role,
    merchantNo: row.merchant_no,
    ip: row.ip,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    before: row.before_value,
    after: row.after_value,
  }));
}

/** A login step for an email, whoever has it: one statement that finds the user (or none: `anonymous`) and appends the row. */
export interface LoginAuditEntry {
  email: string;
  ip: string;
  action: string;
  outcome: 'ok' | 'refused';
  after?: Record<string, unknown> | null;
}

export async function recordLoginAudit(db: Kysely<Database>, entry: LoginAuditEntry, at: Date): Promise<void> {
  const email = entry.email.toLowerCase();
  const after = entry.after == null ? null : JSON.stringify(entry.after);
  await sql`
    INSERT INTO audit_log (at, actor_id, actor_email, actor_role, merchant_no, ip, action, target, outcome, before_value, after_value)
    SELECT ${at}, a.id, ${email}, coalesce(a.role, 'anonymous'), a.merchant_no, ${entry.ip}, ${entry.action}, ${email}, ${entry.outcome}, NULL, ${after}::jsonb
      FROM (SELECT 1) AS one LEFT JOIN admins a ON a.email = ${email}`.execute(db);
}
