import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import type { ProcessorEvent, RefusedWebhook } from '../../acquirers/processor-event.ts';
import { readAdyenNotification } from '../../acquirers/adyen/read-notification.ts';
import { parseJson } from '../../acquirers/http/parse-response.ts';
import { settleProcessorEvent } from '../../payments/settle-processor-event.ts';

export const STRIPE_WEBHOOK_PATH = '/v1/acquirers/stripe/webhook';
export const ADYEN_WEBHOOK_PATH = '/v1/acquirers/adyen/webhook';

/** Processor webhooks are bigger than merchant calls (Adyen batches), but still bounded. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * The processors' webhooks (docs/acquirers.md). The body is kept raw: signatures are over the
 * bytes as sent. A body that does not verify is answered 400 and logged without its content; a
 * signed one we cannot read is stored as unreadable and acknowledged. No input answers 5xx: the
 * readers never throw and nothing they hand on holds a string PostgreSQL refuses. A 5xx is left
 * for our own faults (the database away), which the processor's redelivery then heals.
 */
export async function acquirerWebhookRoutes(app: FastifyInstance, context: GatewayContext) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error, request, reply) => {
    const tooLarge = (error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    if (!tooLarge) context.log.error({ err: error, url: request.url }, 'processor webhook failed');
    // A 5xx makes the processor deliver again later, which is what we want after a fault of ours.
    return reply.status(tooLarge ? 413 : 500).type('text/plain').send(tooLarge ? 'too large' : 'try again');
  });

  const refuse = (request: FastifyRequest, reply: FastifyReply, acquirer: string, refused: RefusedWebhook) => {
    context.log.warn({ acquirer, reason: refused.refused, ip: request.ip, bytes: (request.body as Buffer | undefined)?.length ?? 0 }, 'processor webhook refused');
    return reply.status(400).type('text/plain').send('signature verification failed');
  };

  const settleAll = async (events: ProcessorEvent[]) => {
    for (const event of events) {
      const result = await settleProcessorEvent(context, event);
      context.log.info({ acquirer: event.acquirer, event: event.id, type: event.type, result }, 'processor event');
    }
  };

  app.post(STRIPE_WEBHOOK_PATH, async (request, reply) => {
    const secret = context.config.stripe?.webhookSecret;
    if (!secret) return reply.status(404).type('text/plain').send('Stripe webhooks are not configured');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers['stripe-signature'];
    // Stripe's SDK (its signature check) is loaded by the first webhook, not at start (docs/performance.md, "Start-up").
    const { readStripeWebhook } = await import('../../acquirers/stripe/read-webhook.ts');
    const read = readStripeWebhook(body, typeof header === 'string' ? header : undefined, secret.reveal(), context.now().getTime());
    if ('refused' in read) return refuse(request, reply, 'stripe', read);
    await settleAll([read]);
    return reply.status(200).send({ received: true });
  });

  app.post(ADYEN_WEBHOOK_PATH, async (request, reply) => {
    const key = context.config.adyen?.hmacKey;
    if (!key) return reply.status(404).type('text/plain').send('Adyen webhooks are not configured');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const read = readAdyenNotification(parseJson(body.toString('utf8')), key.reveal());
    if ('refused' in read) return refuse(request, reply, 'adyen', read);
    await settleAll(read);
    // Adyen wants exactly this body to count the batch as delivered.
    return reply.status(200).type('text/plain').send('[accepted]');
  });
}
