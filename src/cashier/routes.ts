import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { isClientGone, logClientGone } from '../web/client-gone.ts';
import { formText, registerForms } from '../web/forms.ts';
import { CASHIER_ASSET_PREFIX, UNAVAILABLE_REFRESH_SECONDS, cashierAssets, pickLocale, renderProcessingPage, renderUnavailablePage } from './index.ts';
import { DatabaseUnavailableError } from '../db/health.ts';
import { challengeRoutes } from './3ds/route.ts';
import { processorReturnRoutes } from './3ds/processor-return-route.ts';
import { payRoutes } from './pay/route.ts';
import { sendErrorPage, sendPage, tokenOf, type Form } from './render-payment.ts';

/**
 * The hosted cashier behind `paymentUrl`: the payment page and card form (pay/), the 3-D Secure
 * step (3ds/), both rendered through render-payment.ts, and the page's static assets.
 */
export async function cashierPages(app: FastifyInstance, context: GatewayContext) {
  await registerForms(app, { path: '/checkout', cookieKey: 'payrail_csrf', bodyLimit: 4096, secure: context.config.env === 'production' });

  app.setErrorHandler((error, request, reply) => {
    const locale = pickLocale(request.headers['accept-language'], formText(request.body as Form | undefined, 'lang'));
    if (isClientGone(error, request)) {
      logClientGone(context.log, error, request);
      return sendErrorPage(reply, locale, 'bad_request');
    }
    if (/CSRF|FST_ERR_CTP/.test((error as { code?: string }).code ?? '')) return sendErrorPage(reply, locale, 'bad_request');
    // Logged once for the whole outage (server.ts); the customer is asked to wait a moment.
    if (error instanceof DatabaseUnavailableError) {
      reply.header('retry-after', String(UNAVAILABLE_REFRESH_SECONDS));
      return sendPage(reply, 503, renderUnavailablePage({ locale, token: tokenOf(request) }));
    }
    context.log.error({ err: error, url: request.url.split('?')[0] }, 'cashier page failed');
    return sendPage(reply, 503, renderProcessingPage({ locale, token: tokenOf(request) ?? '' }));
  });

  payRoutes(app, context);
  challengeRoutes(app, context);
  processorReturnRoutes(app, context);

  app.get(`${CASHIER_ASSET_PREFIX}:name`, async (request, reply) => {
    const asset = cashierAssets[(request.params as { name: string }).name];
    if (!asset) return reply.status(404).type('text/plain').send('Not found');
    return reply
      .headers({ 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'public, max-age=31536000, immutable' })
      .send(asset.body);
  });
}
