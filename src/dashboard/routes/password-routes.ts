import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { hashPassword, verifyPassword } from '../../secrets/password.ts';
import { changeAdminPassword, findAdmin } from '../../store/console/admins.ts';
import { startSession } from '../authenticate.ts';
import { auditAction } from '../audit.ts';
import { pageAdmin, sendPage } from '../respond.ts';
import { MIN_PASSWORD_LENGTH, PASSWORD_PATH, renderPasswordPage } from '../templates/password-page.ts';
import { OWN_ACCOUNT } from '../route-table.ts';

const passwordOf = (body: unknown, name: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** The change-password page of any console user: forced after a one-time password, reachable any time after. */
export function passwordRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get(PASSWORD_PATH, async (request, reply) =>
    sendPage(reply, renderPasswordPage({ admin: pageAdmin(request, reply), required: request.admin!.mustChangePassword })),
  );

  app.post(PASSWORD_PATH, { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const current = passwordOf(request.body, 'current');
    const next = passwordOf(request.body, 'password');
    const refuse = (error: string) =>
      sendPage(reply, renderPasswordPage({ admin: pageAdmin(request, reply), required: request.admin!.mustChangePassword, error }), 400);
    const admin = await findAdmin(context.db, request.admin!.id);
    if (!admin || !(await verifyPassword(current, admin.password_hash))) return refuse('The current password is wrong.');
    if ([...next].length < MIN_PASSWORD_LENGTH) return refuse(`The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (next !== passwordOf(request.body, 'repeat')) return refuse('The two new passwords differ.');
    if (next === current) return refuse('The new password must differ from the current one.');
    const changed = await changeAdminPassword(context.db, admin.id, await hashPassword(next));
    await auditAction(context, request, { action: 'user.change-password', target: admin.email, merchantNo: admin.merchant_no });
    // Every other session of this operator ends; this browser gets a new one.
    startSession(context, reply, changed);
    context.log.info({ adminId: admin.id }, 'dashboard password changed');
    return reply.redirect('/dashboard/overview', 303);
  });
}
