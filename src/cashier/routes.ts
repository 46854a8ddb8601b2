import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { isClientGone, logClientGone } from '../web/client-gone.ts';
import { formText, registerForms } from '../web/forms.ts';
import { maskedCard, validateCard } from '../domain/card.ts';
import { formatAmount } from '../domain/money.ts';
import { findMerchant, merchantSigning } from '../store/merchants.ts';
import { payWithCard } from '../payments/pay-with-card.ts';
import { completeChallenge } from '../payments/complete-challenge.ts';
import { describePaymentByToken, type PaymentResult } from '../payments/settle-attempt.ts';
import { signedReturnUrl } from '../payments/return-url.ts';
import type { OrderRow } from '../store/orders.ts';
import {
  CASHIER_ASSET_PREFIX,
  CHALLENGE_PATH,
  PAY_PATH,
  cashierAssets,
  contentSecurityPolicy,
  errorStatus,
  pickLocale,
  renderChallengePage,
  renderErrorPage,
  renderPaymentPage,
  renderProcessingPage,
  renderResultPage,
  type ErrorReason,
  type FieldError,
  type Locale,
  type NoticeReasonKey,
} from './index.ts';
import { pageErrors } from './card-errors.ts';

const TOKEN = /^[0-9a-f]{64}$/;

type Form = Record<string, unknown>;
const field = formText;

interface PageState {
  locale: Locale;
  token: string;
  csrfToken: string;
  errors?: FieldError[];
  values?: { holder?: string; expiry?: string };
  notice?: NoticeReasonKey;
  challengeError?: 'code.format' | 'threeds.failed';
}

/** The hosted cashier page behind `paymentUrl`, its 3-D Secure step and its receipt. */
export async function cashierPages(app: FastifyInstance, context: GatewayContext) {
  await registerForms(app, { path: '/checkout', cookieKey: 'payrail_csrf', bodyLimit: 4096, secure: context.config.env === 'production' });

  const send = (reply: FastifyReply, status: number, page: string) =>
    reply
      .status(status)
      .headers({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy(),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      })
      .send(page);

  const sendError = (reply: FastifyReply, locale: Locale, reason: ErrorReason) =>
    send(reply, errorStatus[reason], renderErrorPage({ locale, reason }));

  app.setErrorHandler((error, request, reply) => {
    const locale = pickLocale(request.headers['accept-language'], field(request.body as Form | undefined, 'lang'));
    if (isClientGone(error, request)) {
      logClientGone(context.log, error, request);
      return sendError(reply, locale, 'bad_request');
    }
    if (/CSRF|FST_ERR_CTP/.test((error as { code?: string }).code ?? '')) return sendError(reply, locale, 'bad_request');
    context.log.error({ err: error, url: request.url.split('?')[0] }, 'cashier page failed');
    return send(reply, 503, renderProcessingPage({ locale, token: tokenOf(request) ?? '' }));
  });

  /** Renders where a payment stands: the form, the challenge, the receipt, or a clear end. */
  const render = async (reply: FastifyReply, result: PaymentResult, state: PageState) => {
    const { locale } = state;
    switch (result.kind) {
      case 'unknown_token':
        return sendError(reply, locale, 'unknown');
      case 'rate_limited':
        return sendError(reply, locale, 'rate');
      case 'ended':
        return sendError(reply, locale, endReason(result.order));
      case 'pending':
        return send(reply, 200, renderProcessingPage({ locale, token: state.token }));
      case 'paid':
        // A paid order's link is used up (410); its receipt is still shown, so a reload is not alarming.
        return send(reply, reply.request.method === 'GET' ? 410 : 200, await receipt(result.order, locale));
    }
    const merchant = await context.merchants.get(result.order.merchant_no);
    const common = { locale, merchantName: merchant?.name ?? '', amountText: formatAmount(result.order.amount_cents), currency: result.order.currency };
    if (result.kind === 'challenge') {
      return send(reply, 200, renderChallengePage({ ...common, token: state.token, challengeId: result.challengeId, csrfToken: state.csrfToken, error: state.challengeError }));
    }
    return send(
      reply,
      state.errors?.length ? 400 : 200,
      renderPaymentPage({
        ...common,
        remark: result.order.remark ?? undefined,
        token: state.token,
        csrfToken: state.csrfToken,
        errors: state.errors,
        values: state.values,
        notice: state.notice,
        attemptsLeft: state.notice ? result.attemptsLeft : undefined,
      }),
    );
  };

  const receipt = async (order: OrderRow, locale: Locale) => {
    const merchant = await findMerchant(context.db, order.merchant_no);
    if (!merchant) throw new Error(`order ${order.plat_form_trade_no} has no merchant`);
    return renderResultPage({
      locale,
      kind: 'success',
      merchantName: merchant.name,
      amountText: formatAmount(order.amount_cents),
      currency: order.currency,
      maskedCard: maskedCard(order.card_brand, order.card_last4),
      platFormTradeNo: order.plat_form_trade_no,
      paidAt: order.paid_at ?? context.now(),
      returnUrl: signedReturnUrl(order, merchantSigning(merchant, context.masterKey), context.now()),
    });
  };

  app.get('/checkout', async (request, reply) => {
    const locale = pickLocale(request.headers['accept-language'], field(request.query as Form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendError(reply, locale, 'unknown');
    const result = await describePaymentByToken(context, token);
    return render(reply, result, { locale, token, csrfToken: reply.generateCsrf() });
  });

  app.post(PAY_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], field(form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendError(reply, locale, 'unknown');
    const [number, expiry, cvc, holder] = ['cardNumber', 'expiry', 'cvc', 'holder'].map((name) => field(form, name));
    const state: PageState = { locale, token, csrfToken: reply.generateCsrf(), values: { holder, expiry } };
    const checked = validateCard({ number, expiry, cvc, holder }, context.now());
    if (!checked.ok) {
      const result = await describePaymentByToken(context, token);
      return render(reply, result, { ...state, errors: pageErrors(checked.errors) });
    }
    const result = await payWithCard(context, { token, card: checked.card, clientIp: request.ip ?? null });
    // One generic sentence for any decline: the issuer's reason is for the merchant only.
    const notice = result.kind === 'retry' ? (result.reason === 'error' ? 'system.error' : 'card.declined') : undefined;
    return render(reply, result, { ...state, notice });
  });

  app.post(CHALLENGE_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], field(form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendError(reply, locale, 'unknown');
    const state: PageState = { locale, token, csrfToken: reply.generateCsrf() };
    const code = (field(form, 'code') ?? '').trim();
    if (!/^[0-9]{6}$/.test(code)) return render(reply, await describePaymentByToken(context, token), { ...state, challengeError: 'code.format' });
    const result = await completeChallenge(context, { token, challengeId: field(form, 'challengeId') ?? '', code });
    return render(reply, result, { ...state, notice: result.kind === 'retry' ? 'threeds.failed' : undefined });
  });

  app.get(`${CASHIER_ASSET_PREFIX}:name`, async (request, reply) => {
    const asset = cashierAssets[(request.params as { name: string }).name];
    if (!asset) return reply.status(404).type('text/plain').send('Not found');
    return reply
      .headers({ 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'public, max-age=31536000, immutable' })
      .send(asset.body);
  });
}

function tokenOf(request: FastifyRequest): string | undefined {
  const value = field((request.method === 'GET' ? request.query : request.body) as Form | undefined, 'data');
  return value !== undefined && TOKEN.test(value) ? value : undefined;
}

function endReason(order: OrderRow): ErrorReason {
  switch (order.status) {
    case '00031':
      return 'closed';
    case '00029':
      return 'failed';
    case '0000':
      return 'paid';
    default:
      return 'expired';
  }
}
