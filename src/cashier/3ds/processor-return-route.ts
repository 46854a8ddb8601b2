import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formText } from '../../web/forms.ts';
import { completeChallenge } from '../../payments/complete-challenge.ts';
import { describePaymentByToken } from '../../payments/describe-payment.ts';
import { PROCESSOR_RETURN_PATH } from '../../payments/processor-return.ts';
import { readProcessorReturn } from '../../acquirers/index.ts';
import { pickLocale } from '../index.ts';
import { receipt, renderPayment, sendErrorPage, sendPage, type Form } from '../render-payment.ts';

const TOKEN = /^[0-9a-f]{64}$/;

/**
 * `GET|POST /checkout/return`: the browser comes back from a processor's 3-D Secure page with a
 * field of its own in the query or, after a POST, the form; the connectors say which
 * (`readReturn`: Stripe's `payment_intent`, Adyen's `redirectResult`). The
 * attempt's own challenge is finished with the processor, which decides; the browser only says
 * it is back. Without a return parameter nothing is finished: the page shows where things stand.
 */
export function processorReturnRoutes(app: FastifyInstance, context: GatewayContext) {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Form;
    const form = (request.method === 'POST' ? request.body : undefined) as Form | undefined;
    const locale = pickLocale(request.headers['accept-language'], formText(query, 'lang'));
    const token = formText(query, 'data');
    if (!token || !TOKEN.test(token)) return sendErrorPage(reply, locale, 'unknown');
    const code = readProcessorReturn(query, form) ?? '';
    const result = code && code.length <= 8192 ? await completeChallenge(context, { token, code }) : await describePaymentByToken(context, token);
    if (result.kind === 'paid') return sendPage(reply, 200, await receipt(context, result.order, locale));
    return renderPayment(context, reply, result, { locale, token, notice: result.kind === 'retry' ? 'threeds.failed' : undefined });
  };
  app.get(PROCESSOR_RETURN_PATH, handle);
  app.post(PROCESSOR_RETURN_PATH, handle);
}
