import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { LOGIN_PATH, logOut, sessionAdmin, startSession } from '../authenticate.ts';
import { logIn } from '../log-in.ts';
import { formField, sendPage } from '../respond.ts';
import { renderLoginPage } from '../templates/login-page.ts';

const MESSAGES = {
  invalid: 'Email or password is wrong.',
  locked: 'Too many failed attempts. Wait 15 minutes and try again.',
} as const;

/** Login and logout: the only dashboard routes open without a session. */
export function sessionRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get(LOGIN_PATH, async (request, reply) => {
    if (await sessionAdmin(context, request)) return reply.redirect('/dashboard/orders', 303);
    return sendPage(reply, renderLoginPage({ csrfToken: reply.generateCsrf() }));
  });

  app.post(LOGIN_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const email = formField(request.body, 'email');
    const password = (request.body as Record<string, unknown> | undefined)?.password;
    const result = await logIn(context, email, typeof password === 'string' ? password : '', request.ip);
    if (!result.ok) {
      context.log.info({ reason: result.reason }, 'dashboard login refused');
      const page = renderLoginPage({ csrfToken: reply.generateCsrf(), email, error: MESSAGES[result.reason] });
      return sendPage(reply, page, result.reason === 'locked' ? 429 : 401);
    }
    startSession(context, reply, result.admin);
    context.log.info({ adminId: result.admin.id }, 'dashboard login');
    return reply.redirect('/dashboard/orders', 303);
  });

  app.post('/dashboard/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    await logOut(context, request, reply);
    return reply.redirect(LOGIN_PATH, 303);
  });
}
