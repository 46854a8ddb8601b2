import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { listDisputes } from '../../store/disputes.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderDisputesPage } from '../templates/disputes-page.ts';

/** The disputes page: read-only, every role, scoped to the user's merchant(s). */
export function disputeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/disputes', async (request, reply) => {
    const openOnly = formField(request.query, 'open') === '1';
    const disputes = await listDisputes(context.readDb, request.admin!.scope, { openOnly, limit: 500 });
    return sendPage(reply, renderDisputesPage({ admin: pageAdmin(request, reply), disputes, openOnly }));
  });
}
