import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { requeuePayoutNotification } from '../../store/jobs.ts';
import { findPayoutIdByNo, listPayoutViews, loadPayout } from '../../store/console/payout-detail.ts';
import { listMerchantNames } from '../../store/merchants.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendNotFound, sendPage } from '../respond.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';
import { renderPayoutPage } from '../templates/payout-page.ts';
import { PAYOUT_STATUS_LABELS, renderPayoutsPage } from '../templates/payouts-page.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../../domain/ids.ts';

const PAGE_SIZE = 100;
const PAYOUT_NO = /^[0-9a-z]{16}$/;

const NOTICES: Readonly<Record<string, string>> = {
  resent: 'The payout notification is queued again and will be sent now.',
  none: 'This payout has no notification to resend yet.',
};

export function payoutRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/dashboard/payouts', async (request, reply) => {
    const merchant = formField(request.query, 'merchant');
    const status = formField(request.query, 'status');
    const filter = {
      merchantNo: MERCHANT_NO.test(merchant) ? merchant : undefined,
      status: Object.hasOwn(PAYOUT_STATUS_LABELS, status) ? status : undefined,
    };
    const [payouts, merchants] = await Promise.all([
      listPayoutViews(context.readDb, request.admin!.scope, { ...filter, limit: PAGE_SIZE }),
      listMerchantNames(context.readDb, request.admin!.scope),
    ]);
    return sendPage(reply, renderPayoutsPage({ admin: pageAdmin(request, reply), payouts, merchants, filter }));
  });

  app.get('/dashboard/payouts/:payoutNo', async (request, reply) => {
    const { payoutNo } = request.params as { payoutNo: string };
    const detail = PAYOUT_NO.test(payoutNo) ? await loadPayout(context.readDb, request.admin!.scope, payoutNo) : undefined;
    const admin = pageAdmin(request, reply);
    if (!detail) return sendPage(reply, renderNotFoundPage({ admin, what: 'payout' }), 404);
    return sendPage(reply, renderPayoutPage({ admin, detail, notice: NOTICES[formField(request.query, 'notice')] }));
  });

  app.post('/dashboard/payouts/:payoutNo/resend', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { payoutNo } = request.params as { payoutNo: string };
    const payout = PAYOUT_NO.test(payoutNo) ? await findPayoutIdByNo(context.db, request.admin!.scope, payoutNo) : undefined;
    if (!payout) return sendNotFound(reply);
    const notifyId = await requeuePayoutNotification(context.db, payout.id);
    await auditAction(context, request, { action: 'payout.resend-notification', target: payoutNo, merchantNo: payout.merchantNo, outcome: notifyId ? 'ok' : 'refused' });
    if (notifyId) {
      context.waker.wake();
      context.log.info({ adminId: request.admin?.id, payoutNo, notifyId }, 'dashboard resent a payout notification');
    }
    return reply.redirect(`/dashboard/payouts/${payoutNo}?notice=${notifyId ? 'resent' : 'none'}`, 303);
  });
}
