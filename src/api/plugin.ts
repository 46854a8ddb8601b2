import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseLosslessJson } from 'lossless-json';
import type { GatewayContext } from '../context.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { DatabaseUnavailableError } from '../db/health.ts';
import { isNumberText } from '../domain/signature.ts';
import { isClientGone, logClientGone } from '../web/client-gone.ts';
import { CHECKOUT_PATHS, checkoutRoutes } from './checkout/route.ts';
import { closeRoutes } from './close/route.ts';
import { failure, httpStatusOf, systemError } from './envelope.ts';
import { QUERY_PATHS, queryRoutes } from './query/route.ts';
import { notifyResendRoutes } from './notify-resend/route.ts';
import { notifyListenRoutes } from './notify-listen/route.ts';
import { refundRoutes } from './refund/route.ts';
import { refundQueryRoutes } from './refund-query/route.ts';
import { disputeQueryRoutes } from './dispute-query/route.ts';
import { BALANCE_PATHS, balanceRoutes } from './balance/route.ts';
import { PAYOUT_PATHS, payoutRoutes } from './payout/route.ts';
import { PAYOUT_QUERY_PATHS, payoutQueryRoutes } from './payout-query/route.ts';
import { MAX_BODY_BYTES } from './wire-schema.ts';
import { chargeRoutes } from './charge/route.ts';
import { cardListRoutes } from './card-list/route.ts';
import { cardDeleteRoutes } from './card-delete/route.ts';


declare module 'fastify' {
  interface FastifyReply {
    /** The business code answered, for metrics and logs. */
    businessCode?: string;
  }
}

const malformed = (message: string) => new PayrailError(BusinessCode.BodyMalformed, message);

/**
 * JSON with numbers kept as written (they are signed as written) and no prototype tricks.
 * Anything but a JSON object is refused here, before any route runs.
 */
function parseJsonBody(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) {
  let value: unknown;
  try {
    value = parseLosslessJson(body);
  } catch {
    return done(malformed('body is not valid JSON'));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isNumberText(value)) {
    return done(malformed('body must be a JSON object'));
  }
  if (Object.hasOwn(value, '__proto__') || Object.hasOwn(value, 'constructor')) {
    return done(malformed('body has a forbidden field name'));
  }
  done(null, value);
}

/** Turns any error into the envelope; the only place errors become responses. */
export function sendError(
  context: GatewayContext,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  status?: number,
) {
  let payrailError: PayrailError;
  if (!(error instanceof PayrailError) && isClientGone(error, request)) {
    logClientGone(context.log, error, request);
    payrailError = malformed('the request was not received in full');
  } else if (error instanceof PayrailError) {
    payrailError = error;
  } else if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    payrailError = malformed(`body is larger than ${MAX_BODY_BYTES} bytes`);
    status = 413;
  } else if (/^FST_ERR_CTP_/.test((error as FastifyError).code ?? '')) {
    payrailError = malformed((error as FastifyError).message);
  } else if (error instanceof DatabaseUnavailableError) {
    // Logged once for the whole outage (server.ts), not once per request.
    payrailError = systemError();
  } else {
    context.log.error({ err: error, url: request.url }, 'unexpected error in the merchant API');
    payrailError = systemError();
  }
  reply.businessCode = payrailError.code;
  return reply.status(status ?? httpStatusOf(payrailError.code)).send(failure(payrailError));
}

/**
 * Errors the router raises before any route runs (Fastify's `frameworkErrors`): a path segment
 * over the parameter limit (414) or a bad percent-encoding (400). Under /v1 the envelope with
 * 8002, elsewhere plain text.
 */
export function frameworkError(context: GatewayContext) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
    const path = request.raw.url?.split('?')[0] ?? '';
    if (!path.startsWith('/v1/')) return reply.status(status).type('text/plain; charset=utf-8').send(status === 500 ? 'Something went wrong' : 'Bad request');
    const message = status === 414 ? 'a path segment is longer than allowed' : status === 400 ? 'the path is not a valid URL (bad percent-encoding)' : 'the request could not be routed';
    return sendError(context, status === 500 ? error : new PayrailError(BusinessCode.ParameterInvalid, message), request, reply, status);
  };
}

const PROVIDER_PREFIX = '/v1/:provider/';

/** The family's paths this gateway answers, under `/v1/<provider>/`: read from the routes that register them. */
export const FAMILY_ALIASES = [CHECKOUT_PATHS, QUERY_PATHS, BALANCE_PATHS, PAYOUT_PATHS, PAYOUT_QUERY_PATHS]
  .flat()
  .filter((path) => path.startsWith(PROVIDER_PREFIX))
  .map((path) => path.slice(PROVIDER_PREFIX.length));

/** Every path of the merchant API, aliases included: what answers 405 rather than 404 to other methods. */
export const API_PATHS = new RegExp(
  `^/v1/(checkout|checkout/query|checkout/close|refund|refund/query|balance|notify/resend|notify/listen|payout|payout/query|dispute/query|charge|card/list|card/delete|[^/]+/(${FAMILY_ALIASES.join('|')}))$`,
);

/** A path shaped like a family call, `/v1/<provider>/<step>`, e.g. a wallet's `payinSubmit`. */
const FAMILY_SHAPED = /^\/v1\/[^/]+\/([^/]+)$/;

/**
 * What an unknown `/v1` path answers: a family step we do not serve (another payment method's,
 * such as a wallet's `payinSubmit`) is `8000` saying the gateway takes cards only and naming the
 * family paths it does answer; anything else is `8002`, no such path.
 */
export function unknownPathError(path: string): PayrailError {
  const family = FAMILY_SHAPED.exec(path);
  if (!family) return new PayrailError(BusinessCode.ParameterInvalid, `no such API path: ${path}`);
  return new PayrailError(
    BusinessCode.OrderError,
    `${family[1]} is not served: this gateway takes cards only (Visa and Mastercard, paid on the hosted page of /v1/checkout); ` +
      `of the family's paths it answers ${FAMILY_ALIASES.map((name) => `/v1/<provider>/${name}`).join(', ')}`,
  );
}

/**
 * Requests no route matched: under /v1 an envelope (405 with Allow for a known path and another
 * method, 404 otherwise); elsewhere a plain 404.
 */
export function notFound(context: GatewayContext) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/v1/')) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    if (API_PATHS.test(path)) {
      reply.header('allow', 'POST');
      const wrongMethod = new PayrailError(BusinessCode.ParameterInvalid, `${request.method} is not allowed on ${path}; use POST`);
      return sendError(context, wrongMethod, request, reply, 405);
    }
    return sendError(context, unknownPathError(path), request, reply, 404);
  };
}

export async function merchantApi(app: FastifyInstance, context: GatewayContext) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, parseJsonBody);
  app.addContentTypeParser('*', { bodyLimit: MAX_BODY_BYTES }, (_request, _payload, done) =>
    done(malformed('Content-Type must be application/json')),
  );
  app.setErrorHandler((error, request, reply) => sendError(context, error, request, reply));
  // Each route carries its TypeBox schemas for the OpenAPI document. Its reader checks the same
  // rules and answers with the business code and a msg naming the field, so Fastify's own
  // validation accepts everything, and answers are serialised as they are, not by the schema.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.businessCode === undefined && typeof payload === 'string' && reply.statusCode === 200) {
      reply.businessCode = BusinessCode.Success;
    }
    return payload;
  });

  checkoutRoutes(app, context);
  queryRoutes(app, context);
  closeRoutes(app, context);
  notifyResendRoutes(app, context);
  notifyListenRoutes(app, context);
  refundRoutes(app, context);
  refundQueryRoutes(app, context);
  balanceRoutes(app, context);
  payoutRoutes(app, context);
  payoutQueryRoutes(app, context);
  disputeQueryRoutes(app, context);
  chargeRoutes(app, context);
  cardListRoutes(app, context);
  cardDeleteRoutes(app, context);
}
