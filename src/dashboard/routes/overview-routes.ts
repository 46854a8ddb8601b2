import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { loadOverview, OVERVIEW_RANGES, type OverviewRange } from '../../store/console/console-overview.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderOverviewPage } from '../templates/overview-page.ts';

const isRange = (value: string): value is OverviewRange => (OVERVIEW_RANGES as readonly string[]).includes(value);

export function overviewRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/overview', async (request, reply) => {
    const asked = formField(request.query, 'range');
    const range = isRange(asked) ? asked : 'today';
    const overview = await loadOverview(context.readDb, request.admin!.scope, range, context.now());
    return sendPage(reply, renderOverviewPage({ admin: pageAdmin(request, reply), range, overview }));
  });
}
