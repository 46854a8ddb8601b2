import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { ALL_MERCHANTS, isMerchantRole, readConsoleRole } from '../../domain/console-scope.ts';
import { hashPassword, newOneTimePassword } from '../../secrets/password.ts';
import { findAdmin, insertUser, listUsers, resetUserPassword, setUserDisabled } from '../../store/console/admins.ts';
import { findMerchant, listMerchantNames } from '../../store/merchants.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendNotFound, sendPage } from '../respond.ts';
import { revealOnNextPage, takeRevealed } from '../reveal-once.ts';
import { renderConfirmPage } from '../templates/confirm-page.ts';
import { html } from '../../web/html.ts';
import { renderUsersPage, type UsersPageInput } from '../templates/users-page.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../../domain/ids.ts';

const USERS_PATH = '/dashboard/users';
const USER_ID = /^[1-9][0-9]{0,9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

const NOTICES: Readonly<Record<string, string>> = {
  invited: 'User invited. They sign in with the one-time password below and must choose their own.',
  disabled: 'User disabled: their sessions have ended and they cannot sign in.',
  enabled: 'User enabled: they can sign in again.',
  reset: 'Password reset: their sessions have ended.',
  unchanged: 'Nothing to change: the user already was in that state.',
};

/** Operators only: the console's users, inviting them, disabling and enabling them, resetting their passwords. */
export function userRoutes(app: FastifyInstance, context: GatewayContext) {
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: Partial<UsersPageInput> = {}, status = 200) => {
    const [users, merchants] = await Promise.all([listUsers(context.readDb), listMerchantNames(context.readDb, ALL_MERCHANTS)]);
    const admin = { ...pageAdmin(request, reply), id: request.admin!.id };
    return sendPage(reply, renderUsersPage({ admin, users, merchants, ...extra }), status);
  };

  /** The user named by the URL, when it is another user than the one signed in. */
  const otherUser = async (request: FastifyRequest) => {
    const { userId } = request.params as { userId: string };
    if (!USER_ID.test(userId) || Number(userId) === request.admin!.id) return undefined;
    return findAdmin(context.db, Number(userId));
  };

  app.get(USERS_PATH, async (request, reply) =>
    page(request, reply, { notice: NOTICES[formField(request.query, 'notice')], revealed: takeRevealed(context, request, reply, USERS_PATH) }),
  );

  app.post(USERS_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = { email: formField(request.body, 'email').toLowerCase(), role: formField(request.body, 'role'), merchantNo: formField(request.body, 'merchantNo') };
    const refuse = (error: string) => page(request, reply, { error, form }, 400);
    if (!EMAIL.test(form.email) || form.email.length > 254) return refuse('Give an email address such as someone@example.com.');
    const role = readConsoleRole(form.role);
    if (!role) return refuse('Choose a role: merchant admin, merchant viewer or operator.');
    let merchantNo: string | null = null;
    if (isMerchantRole(role)) {
      if (!MERCHANT_NO.test(form.merchantNo) || !(await findMerchant(context.db, form.merchantNo))) return refuse('Choose the merchant this user belongs to.');
      merchantNo = form.merchantNo;
    }
    const password = newOneTimePassword();
    const user = await insertUser(context.db, { email: form.email, role, merchantNo, passwordHash: await hashPassword(password) });
    if (!user) return refuse(`There already is a user ${form.email}.`);
    await auditAction(context, request, { action: 'user.invite', target: user.email, merchantNo, after: { role: user.role, merchantNo } });
    revealOnNextPage(context, request, reply, USERS_PATH, { email: user.email, password });
    return reply.redirect(`${USERS_PATH}?notice=invited`, 303);
  });

  app.get(`${USERS_PATH}/:userId/disable`, async (request, reply) => {
    const user = await otherUser(request);
    if (!user) return sendNotFound(reply);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'users',
        title: `Disable ${user.email}?`,
        consequences: html`<p>They are signed out everywhere at once and cannot sign in until an operator enables them again.</p>`,
        action: `${USERS_PATH}/${user.id}/disable`,
        fields: {},
        confirmLabel: 'Disable user',
        cancelHref: USERS_PATH,
      }),
    );
  });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`${USERS_PATH}/:userId/${verb}`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const user = await otherUser(request);
      if (!user) return sendNotFound(reply);
      const changed = await setUserDisabled(context.db, user.id, disabled, context.now());
      await auditAction(context, request, {
        action: `user.${verb}`,
        target: user.email,
        merchantNo: user.merchant_no,
        outcome: changed ? 'ok' : 'refused',
        ...(changed && { before: { disabled: !disabled }, after: { disabled } }),
      });
      return reply.redirect(`${USERS_PATH}?notice=${changed ? `${verb}d` : 'unchanged'}`, 303);
    });
  }

  app.get(`${USERS_PATH}/:userId/reset-password`, async (request, reply) => {
    const user = await otherUser(request);
    if (!user) return sendNotFound(reply);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'users',
        title: `Reset the password of ${user.email}?`,
        consequences: html`<p>Their password is replaced by a one-time password shown to you once; they are signed out everywhere and choose a new password at their next login.</p>`,
        action: `${USERS_PATH}/${user.id}/reset-password`,
        fields: {},
        confirmLabel: 'Reset password',
        cancelHref: USERS_PATH,
      }),
    );
  });

  app.post(`${USERS_PATH}/:userId/reset-password`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const user = await otherUser(request);
    if (!user) return sendNotFound(reply);
    const password = newOneTimePassword();
    const reset = await resetUserPassword(context.db, user.id, await hashPassword(password));
    if (!reset) return sendNotFound(reply);
    await auditAction(context, request, { action: 'user.reset-password', target: user.email, merchantNo: user.merchant_no });
    revealOnNextPage(context, request, reply, USERS_PATH, { email: user.email, password });
    return reply.redirect(`${USERS_PATH}?notice=reset`, 303);
  });
}
