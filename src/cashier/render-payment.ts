import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { maskedCard } from '../domain/card.ts';
import { formatAmount } from '../domain/money.ts';
import { OrderStatus } from '../domain/order-status.ts';
import { formText } from '../web/forms.ts';
import type { OrderRow } from '../store/orders.ts';
import type { PaymentResult } from '../payments/describe-payment.ts';
import { signedReturnUrl } from '../payments/return-url.ts';
import { connectorNamed } from '../acquirers/index.ts';
import { savedCardChoices } from './saved-card-choices.ts';
import {
  contentSecurityPolicy,
  errorStatus,
  renderChallengePage,
  renderErrorPage,
  renderPaymentPage,
  renderProcessingPage,
  renderRedirectPage,
  renderResultPage,
  type ErrorReason,
  type FieldError,
  type Locale,
  type NoticeReasonKey,
} from './index.ts';

const TOKEN = /^[0-9a-f]{64}$/;

export type Form = Record<string, unknown>;

/** What the page shows besides where the payment stands: language, form state, a notice. */
export interface PageState {
  locale: Locale;
  token: string;
  errors?: FieldError[];
  values?: { holder?: string; expiry?: string };
  notice?: NoticeReasonKey;
  challengeError?: 'code.format' | 'threeds.failed';
}

/**
 * Sends a cashier page with the headers every cashier page carries. `formTarget`: the one page
 * that sends the browser to a processor's 3-D Secure page may post forms there too.
 */
export const sendPage = (reply: FastifyReply, status: number, page: string, formTarget?: string) =>
  reply
    .status(status)
    .headers(formTarget === undefined ? PAGE_HEADERS : pageHeaders(formTarget))
    .send(page);

const pageHeaders = (formTarget?: string): Readonly<Record<string, string>> => ({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': contentSecurityPolicy(undefined, formTarget),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

/** Every page but the one that posts to a processor: the same headers, built once. */
const PAGE_HEADERS = Object.freeze(pageHeaders());

export const sendErrorPage = (reply: FastifyReply, locale: Locale, reason: ErrorReason) =>
  sendPage(reply, errorStatus[reason], renderErrorPage({ locale, reason }));

/** The payment token a request names (`data`), when it is well formed. */
export function tokenOf(request: FastifyRequest): string | undefined {
  const value = formText((request.method === 'GET' ? request.query : request.body) as Form | undefined, 'data');
  return value !== undefined && TOKEN.test(value) ? value : undefined;
}

/**
 * Renders where a payment stands: the form, the challenge, the receipt, or a clear end. Only the
 * pages with a form get a CSRF token (the secret's cookie is set with the first one).
 */
export async function renderPayment(context: GatewayContext, reply: FastifyReply, result: PaymentResult, state: PageState) {
  const { locale } = state;
  switch (result.kind) {
    case 'unknown_token':
      return sendErrorPage(reply, locale, 'unknown');
    case 'rate_limited':
      return sendErrorPage(reply, locale, 'rate');
    case 'ended':
      return sendEnded(context, reply, locale, result.order);
    case 'pending':
      return sendPage(reply, 200, renderProcessingPage({ locale, token: state.token }));
    case 'paid':
      // A paid order's link is used up (410); its receipt is still shown, so a reload is not alarming.
      return sendPage(reply, reply.request.method === 'GET' ? 410 : 200, await receipt(context, result.order, locale));
  }
  const merchant = await context.merchants.get(result.order.merchant_no);
  const common = { locale, merchantName: merchant?.name ?? '', amountText: formatAmount(result.order.amount_cents), currency: result.order.currency };
  if (result.kind === 'challenge' && result.redirect) {
    return sendPage(reply, 200, renderRedirectPage({ ...common, redirect: result.redirect }), result.redirect.url);
  }
  if (result.kind === 'challenge') {
    return sendPage(
      reply,
      200,
      renderChallengePage({
        ...common,
        token: state.token,
        challengeId: result.challengeId,
        csrfToken: reply.generateCsrf(),
        error: state.challengeError,
        testCode: simulatorTestCode(context, result.acquirer),
        values: state.values,
      }),
    );
  }
  return sendPage(
    reply,
    state.errors?.length ? 400 : 200,
    renderPaymentPage({
      ...common,
      remark: result.order.remark ?? undefined,
      token: state.token,
      csrfToken: reply.generateCsrf(),
      errors: state.errors,
      values: state.values,
      notice: state.notice,
      attemptsLeft: state.notice ? result.attemptsLeft : undefined,
      savedCards: await savedCardChoices(context, result.order),
      saveCard: result.order.customer_id ? result.order.save_card : null,
    }),
  );
}

/**
 * The code that passes a connector's own 3-D Secure step (the simulator's), when this gateway runs
 * in test or development mode and the challenge is that connector's; never in production.
 */
export function simulatorTestCode(context: GatewayContext, acquirer: string | null | undefined): string | undefined {
  return context.config.env !== 'production' ? connectorNamed(acquirer ?? context.acquirers.defaultName)?.testChallengeCode : undefined;
}

/** The receipt of a paid order. */
export async function receipt(context: GatewayContext, order: OrderRow, locale: Locale) {
  const merchant = await context.merchants.get(order.merchant_no);
  if (!merchant) throw new Error(`order ${order.plat_form_trade_no} has no merchant`);
  return renderResultPage({
    locale,
    kind: 'success',
    merchantName: merchant.name,
    amountText: formatAmount(order.amount_cents),
    currency: order.currency,
    maskedCard: maskedCard(order.card_brand, order.card_last4),
    platFormTradeNo: order.plat_form_trade_no,
    tradeNo: order.trade_no,
    paidAt: order.paid_at ?? context.now(),
    returnUrl: signedReturnUrl(order, context.merchants.signing(merchant, context.now()), context.now(), merchant.status_set),
  });
}

/** An order that ended unpaid: why, and the merchant's signed returnUrl carrying its status. */
async function sendEnded(context: GatewayContext, reply: FastifyReply, locale: Locale, order: OrderRow) {
  const reason = endReason(order);
  const merchant = await context.merchants.get(order.merchant_no);
  const returnUrl = merchant && signedReturnUrl(order, context.merchants.signing(merchant, context.now()), context.now(), merchant.status_set);
  return sendPage(reply, errorStatus[reason], renderErrorPage({ locale, reason, returnUrl }));
}

function endReason(order: OrderRow): ErrorReason {
  switch (order.status) {
    case OrderStatus.Closed:
      return 'closed';
    case OrderStatus.Failed:
      return 'failed';
    case OrderStatus.Paid:
      return 'paid';
    default:
      return 'expired';
  }
}
