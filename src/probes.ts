import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from './context.ts';
import { isMigrated } from './db/migrate.ts';

/** What operators and orchestrators look at: liveness, readiness and Prometheus metrics. */
export function probeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.addHook('onResponse', async (request, reply) => {
    context.metrics.requestDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
        code: reply.businessCode ?? '',
      },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      if (await isMigrated(context.db)) return { status: 'ready' };
      return reply.status(503).send({ status: 'migrations pending' });
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}
