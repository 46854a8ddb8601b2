import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayContext } from './context.ts';
import { isMigrated } from './db/migrate.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether a request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
function hasMetricsToken(request: FastifyRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** What operators and orchestrators look at: liveness, readiness and Prometheus metrics. */
export function probeRoutes(app: FastifyInstance, context: GatewayContext) {
  // A sync hook (no promise per request) and one histogram child per label set, found by a
  // string key instead of prom-client hashing a label object on every observation.
  const observers = new Map<string, { observe(seconds: number): void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const code = reply.businessCode ?? '';
    const key = `${route} ${request.method} ${status} ${code}`;
    let observer = observers.get(key);
    if (!observer) {
      observer = context.metrics.requestDuration.labels({ route, method: request.method, status, code });
      // Label values are bounded (routes, methods, statuses, codes); the cap is a second fence.
      if (observers.size < 10_000) observers.set(key, observer);
    }
    observer.observe(reply.elapsedTime / 1000);
    done();
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
  app.get('/metrics', async (request, reply) => {
    const token = context.config.metricsToken;
    if (token !== undefined && !hasMetricsToken(request, token)) {
      return reply.status(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('METRICS_TOKEN required');
    }
    reply.header('content-type', context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}
