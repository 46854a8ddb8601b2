import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { secretCvc, secretPan } from '../domain/card.ts';
import { cents } from '../domain/money.ts';
import type { AuthorizationQueryResult, AuthorizeRequest, PayoutQueryResult, RefundQueryResult } from '../acquirers/acquirer.ts';
import {
  AuthorizeBody,
  CompleteChallengeBody,
  DeleteStoredCardBody,
  PATHS,
  PayoutBody,
  RefundBody,
  StoredAuthorizeBody,
} from '../acquirers/http/wire.ts';
import { createFaults, type FaultSettings, type Faults } from './faults.ts';
import { createSimulatorAcquirer, lacksMerchantReason, type SimulatorAcquirer, type SimulatorOptions } from '../acquirers/simulator/simulator.ts';

/**
 * The simulator served as its own HTTP service (`payrail acquirer-sim --port N`), speaking the
 * protocol of ../http/wire.ts, with fault injection so that the gateway's `http` connector
 * meets timeouts, 5xx and dropped responses.
 *
 * Cards on file: it saves a card when a sale asks (`saveFor`), answering its own token with the
 * approval, charges that token (`/v1/stored-authorizations`) as the simulator's test cards say, and
 * deletes it (`/v1/stored-cards/delete`).
 *
 * Besides the protocol it has two test-only endpoints, outside fault injection:
 *   POST /__faults      { latencyMs?, failureRate5xx?, dropRate?, dropNext?, fail5xxNext? }
 *                        → 200 { settings, pending }
 *   GET  /__charges/:idempotencyKey → 200 { idempotencyKey, count }
 *   GET  /__payouts/:idempotencyKey → 200 { idempotencyKey, count } (payouts actually paid)
 * They have no authentication: bind the service to loopback or a private network only.
 */
export interface AcquirerSimServerOptions extends Partial<FaultSettings> {
  /** 0 (the default) picks a free port; read it from the handle. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed of the random faults, so that a run can be replayed. Default 1. */
  seed?: number;
  /** Passed to the simulator: its store, the delay of the "times out" card, its clock. */
  simulator?: SimulatorOptions;
}

export interface AcquirerSimServer {
  /** e.g. `http://127.0.0.1:41234`: give it to the `http` connector as `baseUrl`. */
  readonly url: string;
  readonly port: number;
  /** Change fault settings, or force the next requests to drop or fail. */
  readonly faults: Faults;
  readonly simulator: SimulatorAcquirer;
  /** How many times money was actually taken under this key. */
  chargeCount(idempotencyKey: string): Promise<number>;
  close(): Promise<void>;
}

export async function startAcquirerSimServer(options: AcquirerSimServerOptions = {}): Promise<AcquirerSimServer> {
  const faults = createFaults(faultSettingsOf(options), options.seed ?? 1);
  const simulator = createSimulatorAcquirer(options.simulator);
  const app = buildAcquirerSimApp(simulator, faults);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('acquirer-sim is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    faults,
    simulator,
    chargeCount: (idempotencyKey) => simulator.chargeCount(idempotencyKey),
    close: () => app.close(),
  };
}

/** The fault settings the caller gave, leaving the others at their defaults. */
function faultSettingsOf(options: AcquirerSimServerOptions): Partial<FaultSettings> {
  const settings: Partial<FaultSettings> = {};
  if (options.latencyMs !== undefined) settings.latencyMs = options.latencyMs;
  if (options.failureRate5xx !== undefined) settings.failureRate5xx = options.failureRate5xx;
  if (options.dropRate !== undefined) settings.dropRate = options.dropRate;
  return settings;
}

/** The service's routes on a fastify instance that is not listening yet (tests may `inject`). */
export function buildAcquirerSimApp(simulator: SimulatorAcquirer, faults: Faults): FastifyInstance {
  const app = Fastify({ logger: false });

  app.post(PATHS.authorize, { schema: { body: AuthorizeBody } }, (request, reply) => {
    const body = request.body as AuthorizeBody;
    return answer(request, reply, faults, () => simulator.authorize(toAuthorizeRequest(body)));
  });

  app.post('/v1/challenges/:challengeId/complete', { schema: { body: CompleteChallengeBody } }, (request, reply) => {
    const { challengeId } = request.params as { challengeId: string };
    const { code } = request.body as CompleteChallengeBody;
    return answer(request, reply, faults, () => simulator.completeChallenge(challengeId, code));
  });

  app.get('/v1/authorizations/:idempotencyKey', (request, reply) => {
    const { idempotencyKey } = request.params as { idempotencyKey: string };
    return answer(request, reply, faults, () => simulator.queryAuthorization(idempotencyKey));
  });

  app.post(PATHS.refund, { schema: { body: RefundBody } }, (request, reply) => {
    const body = request.body as RefundBody;
    return answer(request, reply, faults, () =>
      simulator.refund({ idempotencyKey: body.idempotencyKey, reference: body.reference, amount: cents(body.amount) }),
    );
  });

  app.get('/v1/refunds/:idempotencyKey', (request, reply) => {
    const { idempotencyKey } = request.params as { idempotencyKey: string };
    return answer(request, reply, faults, () => simulator.queryRefund(idempotencyKey));
  });

  app.post(PATHS.payout, { schema: { body: PayoutBody } }, (request, reply) => {
    const body = request.body as PayoutBody;
    return answer(request, reply, faults, () =>
      simulator.payout({
        idempotencyKey: body.idempotencyKey,
        amount: cents(body.amount),
        currency: body.currency,
        cardNumber: secretPan(body.card.number),
        holder: body.holder,
      }),
    );
  });

  app.get('/v1/payouts/:idempotencyKey', (request, reply) => {
    const { idempotencyKey } = request.params as { idempotencyKey: string };
    return answer(request, reply, faults, () => simulator.queryPayout(idempotencyKey));
  });

  app.post(PATHS.authorizeStored, { schema: { body: StoredAuthorizeBody } }, (request, reply) => {
    const body = request.body as StoredAuthorizeBody;
    if (lacksMerchantReason(body)) return reply.code(400).send({ error: 'reason is required when initiator is merchant' });
    return answer(request, reply, faults, () =>
      simulator.authorizeStored({
        idempotencyKey: body.idempotencyKey,
        amount: cents(body.amount),
        currency: body.currency,
        storedCard: body.storedCard,
        initiator: body.initiator,
        reason: body.reason,
      }),
    );
  });

  app.post(PATHS.deleteStoredCard, { schema: { body: DeleteStoredCardBody } }, (request, reply) => {
    const body = request.body as DeleteStoredCardBody;
    return answer(request, reply, faults, () => simulator.deleteStoredCard(body));
  });

  app.post('/__faults', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<FaultSettings> & { dropNext?: number; fail5xxNext?: number };
    try {
      const { dropNext, fail5xxNext, ...settings } = body;
      faults.update(settings);
      if (dropNext !== undefined) faults.dropNext(dropNext);
      if (fail5xxNext !== undefined) faults.fail5xxNext(fail5xxNext);
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    return { settings: faults.settings, pending: faults.pending };
  });

  app.get('/__charges/:idempotencyKey', async (request) => {
    const { idempotencyKey } = request.params as { idempotencyKey: string };
    return { idempotencyKey, count: await simulator.chargeCount(idempotencyKey) };
  });

  app.get('/__payouts/:idempotencyKey', async (request) => {
    const { idempotencyKey } = request.params as { idempotencyKey: string };
    return { idempotencyKey, count: await simulator.payoutCount(idempotencyKey) };
  });

  return app;
}

/** From the wire to the simulator: the card number and CVC are wrapped again on arrival. */
function toAuthorizeRequest(body: AuthorizeBody): AuthorizeRequest {
  return {
    idempotencyKey: body.idempotencyKey,
    amount: cents(body.amount),
    currency: body.currency,
    card: {
      number: secretPan(body.card.number),
      cvc: secretCvc(body.card.cvc),
      expiry: { month: body.card.expiryMonth, year: body.card.expiryYear },
      holder: body.card.holder,
    },
    ...(body.threeDS ? { threeDS: body.threeDS } : {}),
    ...(body.saveFor ? { saveFor: body.saveFor } : {}),
  };
}

type Answer = AuthorizationQueryResult | RefundQueryResult | PayoutQueryResult | { outcome: 'deleted' };

/**
 * Runs one protocol operation under this request's fault. The simulator's own `unknown` (the
 * "times out" card) becomes a 504: to the caller, an acquirer that gave up on its upstream.
 */
async function answer(request: FastifyRequest, reply: FastifyReply, faults: Faults, operation: () => Promise<Answer>) {
  const fault = faults.draw();
  if (fault === '5xx-before') return reply.code(500).send({ error: 'injected fault before processing' });
  const result = await operation();
  // After the operation, so that a caller who gives up waiting has still been charged: the hard case.
  if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
  if (fault === 'drop') {
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  if (fault === '5xx-after') return reply.code(500).send({ error: 'injected fault after processing' });
  if (result.outcome === 'unknown') return reply.code(504).send({ error: result.detail });
  return reply.code(200).send(result);
}
