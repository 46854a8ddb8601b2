import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { listAudit } from '../../store/console/audit-log.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderAuditPage } from '../templates/audit-page.ts';

const PAGE_SIZE = 50;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const ROW_ID = /^[1-9][0-9]{0,18}$/;
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day as its first instant in UTC, or undefined when it is not a real day. */
function dayStart(text: string): Date | undefined {
  if (!DAY.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? undefined : day;
}

/** The audit log page, for every user: a merchant user sees its merchant's rows only (the store filters by scope). */
export function auditRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/audit', async (request, reply) => {
    const filter = {
      action: formField(request.query, 'action').slice(0, 64),
      actor: formField(request.query, 'actor').toLowerCase().slice(0, 254),
      from: formField(request.query, 'from'),
      to: formField(request.query, 'to'),
    };
    const from = dayStart(filter.from);
    const to = dayStart(filter.to);
    const before = formField(request.query, 'before');
    const rows = await listAudit(context.readDb, request.admin!.scope, {
      ...(filter.action && { action: filter.action }),
      ...(filter.actor && { actorEmail: filter.actor }),
      ...(from && { from }),
      ...(to && { until: new Date(to.getTime() + DAY_MS) }),
      ...(ROW_ID.test(before) && { beforeId: before }),
      limit: PAGE_SIZE + 1,
    });
    const query = (extra: Record<string, string> = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value) params.set(key, value);
      return params.toString();
    };
    const shown = rows.slice(0, PAGE_SIZE);
    return sendPage(
      reply,
      renderAuditPage({
        admin: pageAdmin(request, reply),
        rows: shown,
        filter,
        nextQuery: rows.length > PAGE_SIZE ? query({ before: shown.at(-1)!.id }) : undefined,
        firstQuery: ROW_ID.test(before) ? query() : undefined,
        merchantNo: request.admin!.merchantNo,
      }),
    );
  });
}
