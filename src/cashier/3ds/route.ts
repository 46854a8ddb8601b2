import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formText } from '../../web/forms.ts';
import { completeChallenge } from '../../payments/complete-challenge.ts';
import { describePaymentByToken } from '../../payments/describe-payment.ts';
import { CHALLENGE_PATH, pickLocale } from '../index.ts';
import { renderPayment, sendErrorPage, tokenOf, type Form, type PageState } from '../render-payment.ts';

/** `POST /checkout/3ds`: the customer's answer to the issuer's 3-D Secure challenge. */
export function challengeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CHALLENGE_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], formText(form, 'lang'));
    const token = tokenOf(request);
    if (!token) return sendErrorPage(reply, locale, 'unknown');
    // Name and expiry ride through the challenge so a failed 3-D Secure fills them back in.
    const state: PageState = { locale, token, values: { holder: formText(form, 'holder'), expiry: formText(form, 'expiry') } };
    const code = (formText(form, 'code') ?? '').trim();
    if (!/^[0-9]{6}$/.test(code)) {
      return renderPayment(context, reply, await describePaymentByToken(context, token), { ...state, challengeError: 'code.format' });
    }
    const result = await completeChallenge(context, { token, challengeId: formText(form, 'challengeId') ?? '', code });
    return renderPayment(context, reply, result, { ...state, notice: result.kind === 'retry' ? 'threeds.failed' : undefined });
  });
}
