import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formatAmount } from '../../domain/money.ts';
import { STATUS_SETS, type StatusSet } from '../../domain/order-status.ts';
import { MerchantStatus } from '../../domain/merchant-status.ts';
import { merchantBalance } from '../../store/ledger/ledger-balances.ts';
import { eachStatementLine, findScopedMerchant, listSettlements, listStatement } from '../../store/console/merchant-statement.ts';
import { rotateSecret, SECRET_ROTATION_GRACE_MS, updateMerchant, type MerchantRow } from '../../store/merchants.ts';
import { html } from '../../web/html.ts';
import { auditAction } from '../audit.ts';
import { sendCsv } from '../csv.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderConfirmPage } from '../templates/confirm-page.ts';
import { formatTime } from '../templates/format.ts';
import { renderMerchantPage } from '../templates/merchant-page.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';
import { CONFIRMS_ACTION } from '../route-table.ts';
import { MERCHANT_SETTING_NOTICES } from './merchant-routes.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../../domain/ids.ts';

const STATEMENT_PAGE = 50;
/** A just-rotated secret travels from the POST to the page it redirects to in this cookie, sealed with the master key, read once. */
const REVEAL_COOKIE = 'payrail_revealed_secret';
const REVEAL_SECONDS = 120;

const NOTICES: Readonly<Record<string, string>> = {
  rotated: 'App secret rotated.',
  'already-rotated': 'Not rotated again: the secret had already changed since that confirmation page was shown.',
  integration: 'Integration settings saved: they apply to the next request.',
};

/** The settings a merchant may change itself, as the console names them. */
interface IntegrationSettings {
  saltPlacement: 'suffix' | 'prefix';
  requireHmac: boolean;
  statusSet: StatusSet;
}

const currentSettings = (m: MerchantRow): IntegrationSettings => ({ saltPlacement: m.salt_placement, requireHmac: m.require_hmac, statusSet: m.status_set });

function readSettings(source: unknown): IntegrationSettings | undefined {
  const saltPlacement = formField(source, 'saltPlacement');
  const requireHmac = formField(source, 'requireHmac');
  const statusSet = formField(source, 'statusSet');
  if ((saltPlacement !== 'suffix' && saltPlacement !== 'prefix') || (requireHmac !== '0' && requireHmac !== '1') || !(STATUS_SETS as readonly string[]).includes(statusSet)) return undefined;
  return { saltPlacement, requireHmac: requireHmac === '1', statusSet: statusSet as StatusSet };
}

const SETTING_LABELS: Readonly<Record<keyof IntegrationSettings, string>> = {
  saltPlacement: 'Salt placement',
  requireHmac: 'HMAC-SHA256 only',
  statusSet: 'Statuses in answers and notifications',
};

/** Which version of the secret a confirmation page was shown for; never the secret, nor its sealed form. */
const secretVersion = (m: MerchantRow) => createHash('sha256').update(m.app_secret_sealed).digest('hex').slice(0, 32);

/**
 * A merchant's own page: balance, statement, settlements, API credentials and the integration
 * settings it may change. An operator reaches any merchant's at /dashboard/merchants/NO; a
 * merchant user its own at /dashboard/account. Everything is found through the user's scope,
 * so another merchant's number answers 404.
 */
export function merchantPageRoutes(app: FastifyInstance, context: GatewayContext) {
  const pagePath = (request: FastifyRequest, merchantNo: string) => (request.admin!.scope.kind === 'one-merchant' ? '/dashboard/account' : `/dashboard/merchants/${merchantNo}`);
  const notFound = (request: FastifyRequest, reply: FastifyReply) => sendPage(reply, renderNotFoundPage({ admin: pageAdmin(request, reply), what: 'merchant' }), 404);
  const scopedMerchant = (request: FastifyRequest) => {
    const { merchantNo } = request.params as { merchantNo: string };
    return MERCHANT_NO.test(merchantNo) ? findScopedMerchant(context.db, request.admin!.scope, merchantNo) : Promise.resolve(undefined);
  };

  async function showPage(request: FastifyRequest, reply: FastifyReply, merchant: MerchantRow) {
    const scope = request.admin!.scope;
    const beforeText = formField(request.query, 'before');
    const before = /^[0-9]{1,15}$/.test(beforeText) ? Number(beforeText) : undefined;
    const [balance, statement, settlements] = await Promise.all([
      merchantBalance(context.readDb, merchant.merchant_no),
      listStatement(context.readDb, scope, merchant.merchant_no, { before, limit: STATEMENT_PAGE }),
      listSettlements(context.readDb, scope, merchant.merchant_no),
    ]);
    return sendPage(
      reply,
      renderMerchantPage({
        admin: pageAdmin(request, reply),
        merchant,
        path: pagePath(request, merchant.merchant_no),
        balance,
        statement: statement.lines,
        nextBefore: statement.next,
        later: before !== undefined,
        settlements,
        now: context.now(),
        revealedSecret: takeRevealedSecret(request, reply, merchant.merchant_no),
        notice: NOTICES[formField(request.query, 'notice')] ?? (scope.kind === 'all-merchants' ? MERCHANT_SETTING_NOTICES[formField(request.query, 'notice')] : undefined),
        operator: scope.kind === 'all-merchants' ? { defaultAcquirer: context.acquirers.defaultName } : undefined,
      }),
    );
  }

  function takeRevealedSecret(request: FastifyRequest, reply: FastifyReply, merchantNo: string): string | undefined {
    const sealed = request.cookies[REVEAL_COOKIE];
    if (sealed === undefined) return undefined;
    reply.clearCookie(REVEAL_COOKIE, { path: '/dashboard' });
    try {
      const revealed = JSON.parse(context.masterKey.open(sealed)) as { merchantNo: string; appSecret: string; until: number };
      return revealed.merchantNo === merchantNo && revealed.until > context.now().getTime() ? revealed.appSecret : undefined;
    } catch {
      return undefined;
    }
  }

  app.get('/dashboard/account', async (request, reply) => {
    const scope = request.admin!.scope;
    if (scope.kind !== 'one-merchant') return reply.redirect('/dashboard/merchants', 303);
    const merchant = await findScopedMerchant(context.db, scope, scope.merchantNo);
    return merchant ? showPage(request, reply, merchant) : notFound(request, reply);
  });

  app.get('/dashboard/merchants/:merchantNo', async (request, reply) => {
    const merchant = await scopedMerchant(request);
    return merchant ? showPage(request, reply, merchant) : notFound(request, reply);
  });

  app.get('/dashboard/merchants/:merchantNo/statement.csv', async (request, reply) => {
    const merchant = await scopedMerchant(request);
    if (!merchant) return notFound(request, reply);
    const header = ['time', 'postingId', 'kind', 'orderNo', 'payoutId', 'pending', 'available', 'frozen', 'balance'];
    return sendCsv(reply, `statement-${merchant.merchant_no}-${context.now().toISOString().slice(0, 10)}.csv`, header, eachStatementLine(context.readDb, request.admin!.scope, merchant.merchant_no), (line) => [
      formatTime(line.createdAt),
      line.postingId,
      line.kind,
      line.orderNo,
      line.payoutId,
      formatAmount(line.pendingCents),
      formatAmount(line.availableCents),
      formatAmount(line.frozenCents),
      formatAmount(line.balanceCents),
    ]);
  });

  app.get('/dashboard/merchants/:merchantNo/rotate-secret', CONFIRMS_ACTION, async (request, reply) => {
    const merchant = await scopedMerchant(request);
    if (!merchant) return notFound(request, reply);
    const graceHours = SECRET_ROTATION_GRACE_MS / 3_600_000;
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'merchants',
        title: `Rotate the app secret of ${merchant.name}?`,
        consequences: html`<p>A new app secret is made and shown once. The current one stays accepted for <strong>${graceHours} hours</strong> (until ${formatTime(new Date(context.now().getTime() + SECRET_ROTATION_GRACE_MS))} UTC if rotated now); after that, requests signed with it are refused. Notifications keep being signed with the current secret until the merchant's first request signed with the new one.</p>`,
        action: `/dashboard/merchants/${merchant.merchant_no}/rotate-secret/confirmed`,
        fields: { version: secretVersion(merchant) },
        confirmLabel: 'Rotate the secret',
        cancelHref: pagePath(request, merchant.merchant_no),
      }),
    );
  });

  app.post('/dashboard/merchants/:merchantNo/rotate-secret/confirmed', { preHandler: app.csrfProtection }, async (request, reply) => {
    const merchant = await scopedMerchant(request);
    if (!merchant) return notFound(request, reply);
    const path = pagePath(request, merchant.merchant_no);
    const rotated =
      formField(request.body, 'version') === secretVersion(merchant)
        ? await rotateSecret(context.db, context.masterKey, merchant.merchant_no, context.now(), SECRET_ROTATION_GRACE_MS, merchant.app_secret_sealed)
        : undefined;
    await auditAction(context, request, { action: 'merchant.rotate-secret', target: merchant.merchant_no, merchantNo: merchant.merchant_no, outcome: rotated ? 'ok' : 'refused' });
    if (!rotated) return reply.redirect(`${path}?notice=already-rotated`, 303);
    context.merchants.forget(merchant.merchant_no);
    const sealed = context.masterKey.seal(JSON.stringify({ merchantNo: merchant.merchant_no, appSecret: rotated.appSecret, until: context.now().getTime() + REVEAL_SECONDS * 1000 }));
    reply.setCookie(REVEAL_COOKIE, sealed, { path: '/dashboard', httpOnly: true, sameSite: 'strict', secure: context.config.env === 'production', maxAge: REVEAL_SECONDS });
    return reply.redirect(`${path}?notice=rotated`, 303);
  });

  /** Operators only: disabling refuses every request of the merchant from then on. The form posts to the list's status action. */
  app.get('/dashboard/merchants/:merchantNo/disable', CONFIRMS_ACTION, async (request, reply) => {
    const merchant = request.admin!.scope.kind === 'all-merchants' ? await scopedMerchant(request) : undefined;
    if (!merchant) return notFound(request, reply);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'merchants',
        title: `Disable ${merchant.name}?`,
        consequences: html`<p>Every API request of merchant <span class="mono">${merchant.merchant_no}</span> is refused from then on: no new checkout, query, refund or payout. Orders already paid stay paid and notifications already queued are still sent. It can be enabled again from the merchant list.</p>`,
        action: `/dashboard/merchants/${merchant.merchant_no}/status`,
        fields: { status: MerchantStatus.Disabled },
        confirmLabel: 'Disable the merchant',
        cancelHref: '/dashboard/merchants',
        error: merchant.status === MerchantStatus.Disabled ? 'This merchant is already disabled.' : undefined,
      }),
    );
  });

  app.get('/dashboard/merchants/:merchantNo/integration', CONFIRMS_ACTION, async (request, reply) => {
    const merchant = await scopedMerchant(request);
    if (!merchant) return notFound(request, reply);
    const before = currentSettings(merchant);
    const after = readSettings(request.query);
    const changed = after ? (Object.keys(SETTING_LABELS) as (keyof IntegrationSettings)[]).filter((key) => before[key] !== after[key]) : [];
    const shown = (value: string | boolean) => (value === true ? 'yes' : value === false ? 'no' : value);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'merchants',
        title: `Change the integration settings of ${merchant.name}?`,
        consequences: html`<table><thead><tr><th>Setting</th><th>Now</th><th>After</th></tr></thead><tbody>${changed.map(
          (key) => html`<tr><td>${SETTING_LABELS[key]}</td><td>${shown(before[key])}</td><td><strong>${shown(after![key])}</strong></td></tr>`,
        )}</tbody></table>
<p>These apply to the merchant's very next request and notification: its server must sign and verify the new way from then on, or its requests are refused.</p>`,
        action: `/dashboard/merchants/${merchant.merchant_no}/integration`,
        fields: after ? { saltPlacement: after.saltPlacement, requireHmac: after.requireHmac ? '1' : '0', statusSet: after.statusSet } : {},
        confirmLabel: 'Save these settings',
        cancelHref: pagePath(request, merchant.merchant_no),
        error: !after ? 'Choose a salt placement, the sign types to accept and a status set.' : changed.length === 0 ? 'Nothing would change.' : undefined,
      }),
    );
  });

  app.post('/dashboard/merchants/:merchantNo/integration', { preHandler: app.csrfProtection }, async (request, reply) => {
    const merchant = await scopedMerchant(request);
    if (!merchant) return notFound(request, reply);
    const after = readSettings(request.body);
    if (!after) return reply.status(400).type('text/plain; charset=utf-8').send('Bad request');
    // updateMerchant runs its own transaction (the merchant's row locked); the audit row follows it.
    const updated = await updateMerchant(context.db, merchant.merchant_no, after);
    if (!updated) return notFound(request, reply);
    await auditAction(context, request, { action: 'merchant.integration-settings', target: merchant.merchant_no, merchantNo: merchant.merchant_no, before: { ...currentSettings(merchant) }, after: { ...currentSettings(updated) } });
    context.merchants.forget(merchant.merchant_no);
    return reply.redirect(`${pagePath(request, merchant.merchant_no)}?notice=integration`, 303);
  });
}
