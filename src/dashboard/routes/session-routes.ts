import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { codeStepAdmin, endCodeStep, LOGIN_CODE_PATH, LOGIN_PATH, logOut, sessionAdmin, startCodeStep, startSession } from '../authenticate.ts';
import { auditLogin } from '../audit.ts';
import { logIn, logInCode } from '../log-in.ts';
import { formField, sendPage } from '../respond.ts';
import { renderLoginCodePage } from '../templates/login-code-page.ts';
import { renderLoginPage } from '../templates/login-page.ts';
import { OWN_ACCOUNT } from '../route-table.ts';

// A disabled user is told what a wrong password is told: the page never says who exists.
const MESSAGES = {
  invalid: 'Email or password is wrong.',
  disabled: 'Email or password is wrong.',
  locked: 'Too many failed attempts. Wait 15 minutes and try again.',
} as const;

const CODE_MESSAGES = {
  invalid: 'That code is wrong or was already used. Wait for the next one and try again.',
  disabled: 'That code is wrong or was already used. Wait for the next one and try again.',
  locked: 'Too many failed attempts. Wait 15 minutes and try again.',
} as const;

/** Login (password, then a code when the user has a second factor) and logout: the only dashboard routes open without a session. */
export function sessionRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get(LOGIN_PATH, async (request, reply) => {
    if (await sessionAdmin(context, request)) return reply.redirect('/dashboard/overview', 303);
    return sendPage(reply, renderLoginPage({ csrfToken: reply.generateCsrf() }));
  });

  app.post(LOGIN_PATH, { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const email = formField(request.body, 'email');
    const password = (request.body as Record<string, unknown> | undefined)?.password;
    const result = await logIn(context, email, typeof password === 'string' ? password : '', request.ip);
    if (!result.ok) {
      await auditLogin(context, request, { action: 'login', email, outcome: 'refused', reason: result.reason });
      context.log.info({ reason: result.reason }, 'dashboard login refused');
      const page = renderLoginPage({ csrfToken: reply.generateCsrf(), email, error: MESSAGES[result.reason] });
      return sendPage(reply, page, result.reason === 'locked' ? 429 : 401);
    }
    if (result.needsCode) {
      await auditLogin(context, request, { action: 'login.password', email, outcome: 'ok' });
      startCodeStep(context, reply, result.admin);
      return reply.redirect(LOGIN_CODE_PATH, 303);
    }
    await auditLogin(context, request, { action: 'login', email, outcome: 'ok' });
    startSession(context, reply, result.admin);
    context.log.info({ adminId: result.admin.id }, 'dashboard login');
    return reply.redirect('/dashboard/overview', 303);
  });

  app.get(LOGIN_CODE_PATH, async (request, reply) => {
    if (!(await codeStepAdmin(context, request))) return reply.redirect(LOGIN_PATH, 303);
    return sendPage(reply, renderLoginCodePage({ csrfToken: reply.generateCsrf() }));
  });

  app.post(LOGIN_CODE_PATH, { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const pending = await codeStepAdmin(context, request);
    if (!pending) {
      await auditLogin(context, request, { action: 'login.totp', email: '', outcome: 'refused', reason: 'expired' });
      return reply.redirect(LOGIN_PATH, 303);
    }
    const result = await logInCode(context, pending.id, formField(request.body, 'code'), request.ip);
    if (!result.ok) {
      await auditLogin(context, request, { action: 'login.totp', email: pending.email, outcome: 'refused', reason: result.reason });
      return sendPage(reply, renderLoginCodePage({ csrfToken: reply.generateCsrf(), error: CODE_MESSAGES[result.reason] }), result.reason === 'locked' ? 429 : 401);
    }
    await auditLogin(context, request, { action: 'login.totp', email: pending.email, outcome: 'ok' });
    endCodeStep(context, reply);
    startSession(context, reply, result.admin);
    context.log.info({ adminId: result.admin.id }, 'dashboard login');
    return reply.redirect('/dashboard/overview', 303);
  });

  app.post('/dashboard/logout', { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const user = await logOut(context, request, reply);
    if (user) await auditLogin(context, request, { action: 'logout', email: user.email, outcome: 'ok' });
    return reply.redirect(LOGIN_PATH, 303);
  });
}
