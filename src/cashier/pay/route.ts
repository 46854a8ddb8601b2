import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { validateCard } from '../../domain/card.ts';
import { formText } from '../../web/forms.ts';
import { payWithCard } from '../../payments/pay-with-card.ts';
import { describePaymentByToken } from '../../payments/describe-payment.ts';
import { pageErrors } from '../card-errors.ts';
import { browserInfoOf } from './browser-info.ts';
import { PAY_PATH, PAY_SAVED_PATH, SAVE_CARD_FIELD, pickLocale } from '../index.ts';
import { payWithChosenCard } from '../../payments/pay-with-saved-card.ts';
import type { PaymentResult } from '../../payments/describe-payment.ts';

/** One generic sentence for any decline: the issuer's reason is for the merchant only. */
const noticeOf = (result: PaymentResult) => (result.kind === 'retry' ? (result.reason === 'error' ? 'system.error' : 'card.declined') : undefined);
import { renderPayment, sendErrorPage, tokenOf, type Form, type PageState } from '../render-payment.ts';

/** `GET /checkout` (the page behind paymentUrl) and `POST /checkout/pay` (the card form). */
export function payRoutes(app: FastifyInstance, context: GatewayContext) {
  app.get('/checkout', async (request, reply) => {
    const locale = pickLocale(request.headers['accept-language'], formText(request.query as Form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendErrorPage(reply, locale, 'unknown');
    const result = await describePaymentByToken(context, token);
    return renderPayment(context, reply, result, { locale, token });
  });

  app.post(PAY_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], formText(form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendErrorPage(reply, locale, 'unknown');
    const [number, expiry, cvc, holder] = ['cardNumber', 'expiry', 'cvc', 'holder'].map((name) => formText(form, name));
    const state: PageState = { locale, token, values: { holder, expiry } };
    const checked = validateCard({ number, expiry, cvc, holder }, context.now());
    if (!checked.ok) {
      const result = await describePaymentByToken(context, token);
      return renderPayment(context, reply, result, { ...state, errors: pageErrors(checked.errors) });
    }
    const saveCardTicked = formText(form, SAVE_CARD_FIELD) === 'yes';
    const result = await payWithCard(context, { token, card: checked.card, clientIp: request.ip ?? null, browser: browserInfoOf(request, form, locale), locale, saveCardTicked });
    return renderPayment(context, reply, result, { ...state, notice: noticeOf(result) });
  });

  app.post(PAY_SAVED_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], formText(form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendErrorPage(reply, locale, 'unknown');
    const state: PageState = { locale, token };
    const result = await payWithChosenCard(context, { token, cardToken: formText(form, 'cardToken') ?? '', clientIp: request.ip ?? null, browser: browserInfoOf(request, form, locale), locale });
    return renderPayment(context, reply, result, { ...state, notice: noticeOf(result) });
  });
}
