import type { FastifyInstance, RouteOptions } from 'fastify';
import type { GatewayContext } from '../context.ts';

/** What a dashboard route says about who may use it, in its `config`. */
export interface DashboardRouteConfig {
  /** Answered 404 to a merchant user (every merchant, the users, the whole gateway). */
  operatorOnly?: boolean;
  /** A POST about the user's own session or account (login, logout, password, second factor): a merchant-viewer may use it. */
  ownAccount?: boolean;
  /** A GET confirmation page of an action (refund, close, rotate, settings): refused to a merchant-viewer like the action. */
  confirmsAction?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends DashboardRouteConfig {}
}

/** The `config` of a POST route a merchant-viewer may use: its own login, logout, password or second factor. */
export const OWN_ACCOUNT = { config: { ownAccount: true } } as const;
/** The `config` of a GET page that confirms an action, refused to a merchant-viewer. */
export const CONFIRMS_ACTION = { config: { confirmsAction: true } } as const;

/** One dashboard route as registered: tests walk this table so that no route escapes them. */
export interface DashboardRoute extends Required<Readonly<DashboardRouteConfig>> {
  method: string;
  url: string;
}

const tables = new WeakMap<GatewayContext, DashboardRoute[]>();

/** Every route the dashboard of this gateway registered (HEAD routes left out: they follow their GET). */
export const dashboardRoutes = (context: GatewayContext): readonly DashboardRoute[] => tables.get(context) ?? [];

/**
 * Whether a merchant-viewer is refused this route: every POST but its own account's, and the
 * confirmation pages of actions. Operator-only routes are left to their 404.
 */
export const refusedToViewer = (method: string, config: DashboardRouteConfig | undefined): boolean =>
  config?.operatorOnly !== true && ((method !== 'GET' && method !== 'HEAD' && config?.ownAccount !== true) || config?.confirmsAction === true);

/** Records each route registered on `app` from now on, including those of its child plugins. */
export function collectDashboardRoutes(app: FastifyInstance, context: GatewayContext) {
  const table: DashboardRoute[] = [];
  tables.set(context, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    // The options object is read when asked, after an operator-only child has marked it.
    const config = () => route.config as DashboardRouteConfig | undefined;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      table.push({
        method,
        url: route.url,
        get operatorOnly() { return config()?.operatorOnly === true; },
        get ownAccount() { return config()?.ownAccount === true; },
        get confirmsAction() { return config()?.confirmsAction === true; },
      });
    }
  });
}

/** Marks every route registered on `app` (a child plugin holding only operator pages) as operator-only. */
export function markOperatorOnly(app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...(route.config as object | undefined), operatorOnly: true } as RouteOptions['config'];
  });
}
