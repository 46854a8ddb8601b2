import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { merchantBalance } from '../../store/ledger/ledger-balances.ts';
import { createMerchant, findMerchant, listMerchants, MerchantChangeError, rotateSecret, setMerchantStatus, updateMerchant, type MerchantRow } from '../../store/merchants.ts';
import { auditAction, changedSettings } from '../audit.ts';
import { STATUS_SETS, type StatusSet } from '../../domain/order-status.ts';
import { DEFAULT_FEE_BPS } from '../../domain/fees.ts';
import { cents, parseAmount, type Cents } from '../../domain/money.ts';
import { renderMerchantEditPage } from '../templates/merchant-edit-page.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderMerchantsPage, type MerchantsPageInput } from '../templates/merchants-page.ts';
import { isMerchantStatus } from '../../domain/merchant-status.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../../domain/ids.ts';

/** What a settings change on a merchant's page says after its redirect (the page shows them too). */
export const MERCHANT_SETTING_NOTICES: Readonly<Record<string, string>> = {
  disabled: 'Merchant disabled.',
  active: 'Merchant enabled.',
  acquirers: 'Acquirer list saved.',
  'payout-fee': 'Payout fee saved.',
  'dispute-fee': 'Dispute fee saved: it is taken with each dispute lost from now on.',
  updated: 'Merchant settings saved.',
  'status-set': 'Status set saved: it applies to every answer, notification and return URL from now on.',
};
const isStatusSet = (value: string): value is StatusSet => (STATUS_SETS as readonly string[]).includes(value);
const FEE_AMOUNT = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/;

/** A fixed fee typed as 0.50: its cents, or undefined when it is not such an amount. */
function feeCents(text: string): number | undefined {
  const match = FEE_AMOUNT.exec(text);
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

/** A merchant's settings as an audit row shows them: never a secret. */
const settingsOf = (merchant: MerchantRow) => ({
  name: merchant.name,
  status: merchant.status,
  feeBps: merchant.fee_bps,
  minAmountCents: merchant.min_amount_cents,
  maxAmountCents: merchant.max_amount_cents,
  saltPlacement: merchant.salt_placement,
  requireHmac: merchant.require_hmac,
  statusSet: merchant.status_set,
  acquirers: merchant.acquirers,
  payoutFeeCents: merchant.payout_fee_cents,
  disputeFeeCents: merchant.dispute_fee_cents,
});

/** Records a change of a merchant's settings with what changed, before and after. */
const auditChange = (context: GatewayContext, request: FastifyRequest, action: string, before: MerchantRow, after: MerchantRow) =>
  auditAction(context, request, { action, target: after.merchant_no, merchantNo: after.merchant_no, ...changedSettings(settingsOf(before), settingsOf(after)) });

/** Operator-only pages: every merchant, and changes to any of them. */
export function merchantRoutes(app: FastifyInstance, context: GatewayContext) {
  /** The merchant list, with a secret revealed on this response only (after create or rotate). */
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: Partial<MerchantsPageInput> = {}, status = 200) => {
    const rows = await listMerchants(context.db);
    const merchants = await Promise.all(rows.map(async (m) => ({ ...m, balance: await merchantBalance(context.db, m.merchant_no) })));
    return sendPage(reply, renderMerchantsPage({ admin: pageAdmin(request, reply), merchants, now: context.now(), defaultAcquirer: context.acquirers.defaultName, ...extra }), status);
  };

  app.get('/dashboard/merchants', async (request, reply) => page(request, reply, { notice: MERCHANT_SETTING_NOTICES[formField(request.query, 'notice')] }));

  app.post('/dashboard/merchants', { preHandler: app.csrfProtection }, async (request, reply) => {
    const name = formField(request.body, 'name');
    const feeText = formField(request.body, 'feeBps') || String(DEFAULT_FEE_BPS);
    const feeBps = Number(feeText);
    const statusSet = formField(request.body, 'statusSet') || 'family';
    const payoutFeeCents = feeCents(formField(request.body, 'payoutFee') || '0');
    if (!name || name.length > 100 || !/^[0-9]{1,5}$/.test(feeText) || feeBps > 10_000 || !isStatusSet(statusSet) || payoutFeeCents === undefined) {
      return page(request, reply, { error: 'Give a name (at most 100 characters), a fee between 0 and 10000 basis points, a status set (family or extended) and a payout fee such as 0.50.' }, 400);
    }
    const created = await createMerchant(context.db, context.masterKey, { name, feeBps, statusSet, payoutFeeCents });
    context.log.info({ adminId: request.admin?.id, merchantNo: created.merchantNo }, 'dashboard created a merchant');
    const merchant = await findMerchant(context.db, created.merchantNo);
    await auditAction(context, request, { action: 'merchant.create', target: created.merchantNo, merchantNo: created.merchantNo, after: merchant ? settingsOf(merchant) : null });
    return page(request, reply, { revealed: { merchantNo: created.merchantNo, appSecret: created.appSecret, rotated: false } });
  });

  app.post('/dashboard/merchants/:merchantNo/status', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    const status = formField(request.body, 'status');
    if (!MERCHANT_NO.test(merchantNo) || !isMerchantStatus(status)) return reply.status(400).type('text/plain').send('Bad request');
    const before = await findMerchant(context.db, merchantNo);
    if (!before || !(await setMerchantStatus(context.db, merchantNo, status))) return reply.status(404).type('text/plain').send('Not found');
    await auditAction(context, request, { action: 'merchant.status', target: merchantNo, merchantNo, before: { status: before.status }, after: { status } });
    // Takes effect on this node at once; other nodes' caches catch up within a second.
    context.merchants.forget(merchantNo);
    context.log.info({ adminId: request.admin?.id, merchantNo, status }, 'dashboard changed a merchant status');
    return reply.redirect(`/dashboard/merchants/${merchantNo}?notice=${status}`, 303);
  });

  /** The merchant's ordered acquirer list; empty: back to the default (ACQUIRER). */
  app.post('/dashboard/merchants/:merchantNo/acquirers', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    if (!MERCHANT_NO.test(merchantNo)) return reply.status(404).type('text/plain').send('Not found');
    const list = formField(request.body, 'acquirers').split(',').map((name) => name.trim()).filter(Boolean);
    const unreachable = list.find((name) => !context.acquirers.has(name));
    if (unreachable !== undefined || list.length > 4 || new Set(list).size !== list.length) {
      return page(request, reply, { error: `Acquirers must be up to 4 different connectors this gateway has configured${unreachable ? `; ${unreachable} is not one` : ''}.` }, 400);
    }
    const before = await findMerchant(context.db, merchantNo);
    const after = before && (await updateMerchant(context.db, merchantNo, { acquirers: list }));
    if (!before || !after) return reply.status(404).type('text/plain').send('Not found');
    await auditChange(context, request, 'merchant.acquirers', before, after);
    context.merchants.forget(merchantNo);
    context.log.info({ adminId: request.admin?.id, merchantNo, acquirers: list }, 'dashboard changed a merchant acquirer list');
    return reply.redirect(`/dashboard/merchants/${merchantNo}?notice=acquirers`, 303);
  });

  app.post('/dashboard/merchants/:merchantNo/status-set', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    const statusSet = formField(request.body, 'statusSet');
    if (!MERCHANT_NO.test(merchantNo) || !isStatusSet(statusSet)) return reply.status(400).type('text/plain').send('Bad request');
    const before = await findMerchant(context.db, merchantNo);
    const after = before && (await updateMerchant(context.db, merchantNo, { statusSet }));
    if (!before || !after) return reply.status(404).type('text/plain').send('Not found');
    await auditChange(context, request, 'merchant.status-set', before, after);
    context.merchants.forget(merchantNo);
    context.log.info({ adminId: request.admin?.id, merchantNo, statusSet }, 'dashboard changed a merchant status set');
    return reply.redirect(`/dashboard/merchants/${merchantNo}?notice=status-set`, 303);
  });

  // The fixed fees: each a form field, a setting and a page of its own.
  const FEES = [
    { path: 'payout-fee', field: 'payoutFee', what: 'payout fee', example: '0.50', change: (fee: Cents) => ({ payoutFeeCents: fee }) },
    { path: 'dispute-fee', field: 'disputeFee', what: 'dispute fee', example: '15.00', change: (fee: Cents) => ({ disputeFeeCents: fee }) },
  ] as const;
  for (const fee of FEES) {
    app.post(`/dashboard/merchants/:merchantNo/${fee.path}`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { merchantNo } = request.params as { merchantNo: string };
      const amount = feeCents(formField(request.body, fee.field));
      if (!MERCHANT_NO.test(merchantNo)) return reply.status(404).type('text/plain').send('Not found');
      if (amount === undefined) return page(request, reply, { error: `The ${fee.what} must be an amount such as ${fee.example}, with at most two decimals.` }, 400);
      const before = await findMerchant(context.db, merchantNo);
      const after = before && (await updateMerchant(context.db, merchantNo, fee.change(cents(amount))));
      if (!before || !after) return reply.status(404).type('text/plain').send('Not found');
      await auditChange(context, request, `merchant.${fee.path}`, before, after);
      context.log.info({ adminId: request.admin?.id, merchantNo, [`${fee.field}Cents`]: amount }, `dashboard set a ${fee.what}`);
      return reply.redirect(`/dashboard/merchants/${merchantNo}?notice=${fee.path}`, 303);
    });
  }

  app.post('/dashboard/merchants/:merchantNo/rotate-secret', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    const rotated = MERCHANT_NO.test(merchantNo) ? await rotateSecret(context.db, context.masterKey, merchantNo, context.now()) : undefined;
    if (!rotated) return reply.status(404).type('text/plain').send('Not found');
    await auditAction(context, request, { action: 'merchant.rotate-secret', target: merchantNo, merchantNo });
    context.merchants.forget(merchantNo);
    context.log.info({ adminId: request.admin?.id, merchantNo }, 'dashboard rotated a merchant secret');
    return page(request, reply, { revealed: { merchantNo, appSecret: rotated.appSecret, rotated: true } });
  });

  app.get('/dashboard/merchants/:merchantNo/edit', async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    const merchant = MERCHANT_NO.test(merchantNo) ? await findMerchant(context.db, merchantNo) : undefined;
    if (!merchant) return reply.status(404).type('text/plain').send('Not found');
    return sendPage(reply, renderMerchantEditPage({ admin: pageAdmin(request, reply), merchant }));
  });

  app.post('/dashboard/merchants/:merchantNo/settings', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { merchantNo } = request.params as { merchantNo: string };
    const merchant = MERCHANT_NO.test(merchantNo) ? await findMerchant(context.db, merchantNo) : undefined;
    if (!merchant) return reply.status(404).type('text/plain').send('Not found');
    const refuse = (error: string) => sendPage(reply, renderMerchantEditPage({ admin: pageAdmin(request, reply), merchant, error }), 400);
    const feeText = formField(request.body, 'feeBps');
    if (!/^[0-9]{1,5}$/.test(feeText) || Number(feeText) > 10_000) return refuse('The fee must be a whole number of basis points from 0 to 10000.');
    const placement = formField(request.body, 'saltPlacement');
    if (placement !== 'suffix' && placement !== 'prefix') return refuse('Choose suffix or prefix for the salt placement.');
    let minAmountCents: Cents;
    let maxAmountCents: Cents;
    try {
      minAmountCents = parseAmount(formField(request.body, 'minAmount'), 'the smallest amount');
      maxAmountCents = parseAmount(formField(request.body, 'maxAmount'), 'the largest amount');
    } catch (error) {
      return refuse(`${(error as Error).message}.`);
    }
    let after: MerchantRow | undefined;
    try {
      after = await updateMerchant(context.db, merchantNo, {
        feeBps: Number(feeText),
        minAmountCents,
        maxAmountCents,
        saltPlacement: placement,
        requireHmac: formField(request.body, 'requireHmac') === '1',
      });
    } catch (error) {
      if (error instanceof MerchantChangeError) return refuse(`The ${error.message}.`.replace('The the', 'The'));
      throw error;
    }
    if (after) await auditChange(context, request, 'merchant.update', merchant, after);
    context.merchants.forget(merchantNo);
    context.log.info({ adminId: request.admin?.id, merchantNo }, 'dashboard changed merchant settings');
    return reply.redirect(`/dashboard/merchants/${merchantNo}?notice=updated`, 303);
  });
}
