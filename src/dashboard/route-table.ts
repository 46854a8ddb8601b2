import type { FastifyInstance, RouteOptions } from 'fastify';
import type { GatewayContext } from '../context.ts';

/** One dashboard route as registered: tests walk this table so that no route escapes them. */
export interface DashboardRoute {
  method: string;
  url: string;
  /** Answered 404 to a merchant user (every merchant, the users, the whole gateway). */
  readonly operatorOnly: boolean;
}

const tables = new WeakMap<GatewayContext, DashboardRoute[]>();

/** Every route the dashboard of this gateway registered (HEAD routes left out: they follow their GET). */
export const dashboardRoutes = (context: GatewayContext): readonly DashboardRoute[] => tables.get(context) ?? [];

/** Records each route registered on `app` from now on, including those of its child plugins. */
export function collectDashboardRoutes(app: FastifyInstance, context: GatewayContext) {
  const table: DashboardRoute[] = [];
  tables.set(context, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      // The options object is read when asked, after an operator-only child has marked it.
      table.push({ method, url: route.url, get operatorOnly() { return (route.config as { operatorOnly?: boolean } | undefined)?.operatorOnly === true; } });
    }
  });
}

/** Marks every route registered on `app` (a child plugin holding only operator pages) as operator-only. */
export function markOperatorOnly(app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...(route.config as object | undefined), operatorOnly: true } as RouteOptions['config'];
  });
}
