import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { isClientGone, logClientGone } from '../web/client-gone.ts';
import { registerForms } from '../web/forms.ts';
import { DatabaseUnavailableError } from '../db/health.ts';
import { stylesheet } from './assets/index.ts';
import { refuseViewerActions, requireAdmin, requireOperator } from './authenticate.ts';
import { collectDashboardRoutes, markOperatorOnly } from './route-table.ts';
import { userRoutes } from './routes/user-routes.ts';
import { totpRoutes } from './routes/totp-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { passwordRoutes } from './routes/password-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { orderRoutes } from './routes/order-routes.ts';
import { orderActionRoutes } from './routes/order-action-routes.ts';
import { merchantRoutes } from './routes/merchant-routes.ts';
import { payoutRoutes } from './routes/payout-routes.ts';
import { disputeRoutes } from './routes/dispute-routes.ts';
import { notificationRoutes } from './routes/notification-routes.ts';
import { overviewRoutes } from './routes/overview-routes.ts';
import { merchantPageRoutes } from './routes/merchant-page-routes.ts';
import { customerRoutes } from './routes/customer-routes.ts';

/**
 * The console under /dashboard, for operators and merchant users: server-rendered pages that work
 * without JavaScript, a stateless signed session cookie, and a CSRF token on every form.
 */
export async function dashboardPages(app: FastifyInstance, context: GatewayContext) {
  collectDashboardRoutes(app, context);
  await registerForms(app, { path: '/dashboard', cookieKey: 'payrail_dashboard_csrf', bodyLimit: 8192, secure: context.config.env === 'production' });

  app.setErrorHandler((error, request, reply) => {
    const code = (error as { code?: string }).code ?? '';
    if (isClientGone(error, request)) {
      logClientGone(context.log, error, request);
      return reply.status(400).type('text/plain; charset=utf-8').send('Bad request');
    }
    if (/CSRF/.test(code)) return reply.status(403).type('text/plain; charset=utf-8').send('This form has expired. Go back, reload the page and try again.');
    if (/FST_ERR_CTP/.test(code)) return reply.status(400).type('text/plain; charset=utf-8').send('Bad request');
    if (error instanceof DatabaseUnavailableError) {
      return reply.status(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('The database cannot be reached at the moment. Try again in a moment.');
    }
    // No request body in the log: it may hold a password.
    context.log.error({ err: error, url: request.url.split('?')[0] }, 'dashboard page failed');
    return reply.status(500).type('text/plain; charset=utf-8').send('Something went wrong; it has been logged.');
  });

  app.get(stylesheet.path, async (_request, reply) =>
    reply.headers({ 'content-type': stylesheet.contentType, etag: stylesheet.etag, 'cache-control': 'public, max-age=31536000, immutable' }).send(stylesheet.body),
  );

  sessionRoutes(app, context);

  await app.register(async (signedIn) => {
    signedIn.addHook('onRequest', requireAdmin(context));
    signedIn.addHook('onRequest', refuseViewerActions(context));
    signedIn.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/overview', 303));
    orderRoutes(signedIn, context);
    orderActionRoutes(signedIn, context);
    payoutRoutes(signedIn, context);
    disputeRoutes(signedIn, context);
    notificationRoutes(signedIn, context);
    overviewRoutes(signedIn, context);
    merchantPageRoutes(signedIn, context);
    customerRoutes(signedIn, context);
    passwordRoutes(signedIn, context);
    totpRoutes(signedIn, context);
    auditRoutes(signedIn, context);

    // Pages about every merchant or the users: a merchant user is answered 404.
    await signedIn.register(async (operators) => {
      markOperatorOnly(operators);
      operators.addHook('onRequest', requireOperator);
      merchantRoutes(operators, context);
      userRoutes(operators, context);
    });
  });
}
