import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import type { RefusedWebhook } from '../../acquirers/processor-event.ts';
import { connectorNamed, processorNamed, type KnownProcessorEvent } from '../../acquirers/index.ts';
import { settleProcessorEvent } from '../../payments/settle-processor-event.ts';

/**
 * Every processor's webhook, one route: the connector named in the path verifies the request,
 * reads its events and says how to answer (src/acquirers/connector.ts). `/v1/acquirers/stripe/webhook`
 * and `/v1/acquirers/adyen/webhook` are this route.
 */
export const ACQUIRER_WEBHOOK_PATH = '/v1/acquirers/:name/webhook';

/** Processor webhooks are bigger than merchant calls (Adyen batches), but still bounded. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

const notFound = (reply: FastifyReply, message: string) => reply.status(404).type('text/plain').send(message);

/**
 * The processors' webhooks (docs/acquirers.md). The body is kept raw: signatures are over the
 * bytes as sent. A name that is not a registered connector, a connector without a webhook and a
 * processor whose webhook secret is not configured answer 404. A body that does not verify is
 * answered 400 and logged without its content; a signed one we cannot read is stored as
 * unreadable and acknowledged. No input answers 5xx: the readers never throw and nothing they
 * hand on holds a string PostgreSQL refuses. A 5xx is left for our own faults (the database
 * away), which the processor's redelivery then heals.
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

  const settleAll = async (events: KnownProcessorEvent[]) => {
    for (const event of events) {
      const result = await settleProcessorEvent(context, event);
      context.log.info({ acquirer: event.acquirer, event: event.id, type: event.type, result }, 'processor event');
    }
  };

  app.post(ACQUIRER_WEBHOOK_PATH, async (request, reply) => {
    const { name } = request.params as { name: string };
    const processor = processorNamed(name);
    if (!processor) {
      // The name is not echoed: it is whatever the caller put in the URL.
      const connector = connectorNamed(name);
      return notFound(reply, connector ? `${connector.title} has no webhook` : 'no acquirer of that name has a webhook here');
    }
    const settings: unknown = (context.config.connectors as Record<string, unknown>)[processor.name];
    const secret = settings === undefined ? undefined : processor.webhook.secret(settings);
    if (!secret) return notFound(reply, `${processor.title} webhooks are not configured`);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const read = processor.webhook.read({ body, headers: request.headers }, secret, context.now().getTime());
    if ('refused' in read) return refuse(request, reply, processor.name, read);
    await settleAll(read);
    return reply.status(200).type(processor.webhook.acknowledge.contentType).send(processor.webhook.acknowledge.body);
  });
}
