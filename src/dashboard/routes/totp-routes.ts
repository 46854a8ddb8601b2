import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { newTotpSecret, totpStep, totpUri } from '../../secrets/totp.ts';
import { enrolTotp, findAdmin, removeTotp, useTotpStep } from '../../store/console/admins.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderTotpPage, TOTP_PATH } from '../templates/totp-page.ts';
import { OWN_ACCOUNT } from '../route-table.ts';

const NOTICES: Readonly<Record<string, string>> = {
  enrolled: 'Two-factor login is on. From your next login, the console asks for a code after your password.',
  removed: 'Two-factor login is off.',
};

/** An enrolment in progress: the secret, sealed for the form so that nothing is stored until the first code is right. */
interface PendingEnrolment {
  user: number;
  secret: string;
}

/** Any console user's own second factor (TOTP): enrol, and turn it off with a current code. */
export function totpRoutes(app: FastifyInstance, context: GatewayContext) {
  const enrolPage = async (request: FastifyRequest, reply: FastifyReply, secret: string, extra: { notice?: string | undefined; error?: string } = {}, status = 200) => {
    const uri = totpUri(secret, request.admin!.email);
    const pending = context.masterKey.seal(JSON.stringify({ user: request.admin!.id, secret } satisfies PendingEnrolment));
    // qrcode is loaded by the first enrolment, not at start (docs/performance.md, "Start-up").
    const { default: QRCode } = await import('qrcode');
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return sendPage(reply, renderTotpPage({ admin: pageAdmin(request, reply), enrolled: false, uri, secret, qrSvg, pending, ...extra }), status);
  };

  const pendingSecret = (request: FastifyRequest): string | undefined => {
    try {
      const pending = JSON.parse(context.masterKey.open(formField(request.body, 'pending'))) as PendingEnrolment;
      return pending.user === request.admin!.id && typeof pending.secret === 'string' ? pending.secret : undefined;
    } catch {
      return undefined;
    }
  };

  app.get(TOTP_PATH, async (request, reply) => {
    const user = await findAdmin(context.db, request.admin!.id);
    const notice = NOTICES[formField(request.query, 'notice')];
    if (user?.totp_secret_sealed) return sendPage(reply, renderTotpPage({ admin: pageAdmin(request, reply), enrolled: true, notice }));
    return enrolPage(request, reply, newTotpSecret(), { notice });
  });

  app.post(`${TOTP_PATH}/enrol`, { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const user = request.admin!;
    const secret = pendingSecret(request);
    const step = secret === undefined ? undefined : totpStep(secret, formField(request.body, 'code').replace(/\s+/g, ''), context.now());
    const enrolled = secret !== undefined && step !== undefined && (await enrolTotp(context.db, user.id, context.masterKey.seal(secret), step));
    await auditAction(context, request, { action: 'totp.enrol', target: user.email, merchantNo: user.merchantNo, outcome: enrolled ? 'ok' : 'refused' });
    if (enrolled) return reply.redirect(`${TOTP_PATH}?notice=enrolled`, 303);
    if (secret === undefined) return reply.redirect(TOTP_PATH, 303);
    return enrolPage(request, reply, secret, { error: 'That code is not right. Check the time on your phone and enter the code the app shows now.' }, 400);
  });

  app.post(`${TOTP_PATH}/disable`, { preHandler: app.csrfProtection, ...OWN_ACCOUNT }, async (request, reply) => {
    const user = request.admin!;
    const row = await findAdmin(context.db, user.id);
    if (!row?.totp_secret_sealed) return reply.redirect(TOTP_PATH, 303);
    const step = totpStep(context.masterKey.open(row.totp_secret_sealed), formField(request.body, 'code').replace(/\s+/g, ''), context.now());
    const accepted = step !== undefined && (await useTotpStep(context.db, user.id, step));
    if (accepted) await removeTotp(context.db, user.id);
    await auditAction(context, request, { action: 'totp.disable', target: user.email, merchantNo: user.merchantNo, outcome: accepted ? 'ok' : 'refused' });
    if (accepted) return reply.redirect(`${TOTP_PATH}?notice=removed`, 303);
    return sendPage(reply, renderTotpPage({ admin: pageAdmin(request, reply), enrolled: true, error: 'That code is not right, or was already used. Enter the code the app shows now.' }), 400);
  });
}
