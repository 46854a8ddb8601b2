import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, listen, sendJson } from '../test-server-kit.ts';

/**
 * A local Stripe that speaks the documented REST shapes the connector uses, driven by the
 * official SDK over real HTTP. What it copies, and from where:
 * - PaymentIntent object, statuses, `next_action.redirect_to_url`, `last_payment_error`:
 *   https://docs.stripe.com/api/payment_intents/object
 * - create-and-confirm with `payment_method_data[card]`, `confirm`, `return_url`:
 *   https://docs.stripe.com/api/payment_intents/create
 * - search (`metadata['key']:'value'`, a `search_result` list): https://docs.stripe.com/api/payment_intents/search
 * - 402 card errors with `code`, `decline_code` and the failed `payment_intent`: https://docs.stripe.com/api/errors
 * - test cards and what they do: https://docs.stripe.com/testing (declines, 3-D Secure 4000 0000 0000 3220)
 * - idempotency (saved response replayed; other parameters with the same key: `idempotency_error`):
 *   https://docs.stripe.com/api/idempotent_requests
 * - Refund object and list by `payment_intent`: https://docs.stripe.com/api/refunds
 * - the return to `return_url` with `payment_intent=…`: https://docs.stripe.com/payments/3d-secure/authentication-flow
 * - webhook signing, `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`:
 *   https://docs.stripe.com/webhooks#verify-manually
 * Nothing here is copied code; it is written from those pages.
 */

type Card = { number: string; exp_month: string; exp_year: string; cvc: string };
type Intent = Record<string, any> & { id: string; status: string; amount: number; metadata: Record<string, string> };

const CARD_BEHAVIOUR: Record<string, { code: string; decline_code?: string } | 'approve' | '3ds'> = {
  '4242424242424242': 'approve',
  '5555555555554444': 'approve',
  '4000000000000002': { code: 'card_declined', decline_code: 'generic_decline' },
  '4000000000009995': { code: 'card_declined', decline_code: 'insufficient_funds' },
  '4000000000000069': { code: 'expired_card' },
  '4000000000000127': { code: 'incorrect_cvc' },
  '4000000000000119': { code: 'processing_error' },
  '4000000000003220': '3ds',
};

export interface FakeStripe {
  url: string;
  faults: FaultQueue;
  /** PaymentIntents created, by our attempt id, and how many times each card was charged. */
  intentFor(attemptId: string): Intent | undefined;
  charges(attemptId: string): number;
  /**
   * A Dispute object (https://docs.stripe.com/api/disputes/object) against a PaymentIntent this
   * server made: the whole amount, reason `fraudulent`, `needs_response`, evidence due in 7 days,
   * unless `fields` say otherwise. Send it with `signedEvent('charge.dispute.…', dispute)`.
   */
  dispute(paymentIntentId: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** An event as Stripe would deliver it: the body and its `Stripe-Signature` header. */
  signedEvent(type: string, object: Record<string, unknown>, options?: { id?: string; secret?: string; timestamp?: number }): { body: string; headers: Record<string, string> };
  close(): Promise<void>;
}

export async function startFakeStripe(options: { webhookSecret?: string } = {}): Promise<FakeStripe> {
  const faults = new FaultQueue();
  const intents = new Map<string, Intent>();
  const refunds = new Map<string, Record<string, any>>();
  const saved = new Map<string, { params: string; status: number; body: unknown }>();
  const chargeCount = new Map<string, number>();
  let base = '';

  const stripeError = (status: number, type: string, message: string, extra: Record<string, unknown> = {}) => ({ status, body: { error: { type, message, ...extra } } });

  function createIntent(form: Record<string, any>): { status: number; body: unknown } {
    const card = form.payment_method_data?.card as Card | undefined;
    const amount = Number(form.amount);
    if (!card?.number || !Number.isInteger(amount) || amount < 1 || !form.currency) {
      return stripeError(400, 'invalid_request_error', 'Missing required param', { param: 'payment_method_data[card]' });
    }
    const id = `pi_${randomBytes(12).toString('hex')}`;
    const intent: Intent = {
      id,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: String(form.currency),
      capture_method: 'automatic',
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...(form.metadata ?? {}) },
      next_action: null,
      payment_method: `pm_${randomBytes(8).toString('hex')}`,
      payment_method_types: ['card'],
      status: 'requires_payment_method',
    };
    intents.set(id, intent);
    const behaviour = CARD_BEHAVIOUR[card.number];
    if (behaviour === 'approve') {
      succeed(intent);
      return { status: 200, body: intent };
    }
    if (behaviour === '3ds') {
      if (!form.return_url) return stripeError(400, 'invalid_request_error', 'return_url is required to confirm with a redirect', { param: 'return_url' });
      intent.status = 'requires_action';
      intent.return_url = form.return_url;
      intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `${base}/3ds/${id}`, return_url: form.return_url } };
      return { status: 200, body: intent };
    }
    const failure = behaviour ?? { code: 'card_declined', decline_code: 'do_not_honor' };
    intent.last_payment_error = { type: 'card_error', ...failure, message: 'Your card was declined.' };
    return stripeError(402, 'card_error', 'Your card was declined.', { ...failure, payment_intent: intent });
  }

  function succeed(intent: Intent) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = `ch_${randomBytes(8).toString('hex')}`;
    intent.next_action = null;
    const attempt = intent.metadata.payrail_attempt ?? intent.id;
    chargeCount.set(attempt, (chargeCount.get(attempt) ?? 0) + 1);
  }

  function createRefund(form: Record<string, any>): { status: number; body: unknown } {
    const intent = intents.get(String(form.payment_intent));
    if (!intent || intent.status !== 'succeeded') return stripeError(400, 'invalid_request_error', 'No such payment_intent', { code: 'resource_missing', param: 'payment_intent' });
    const refunded = [...refunds.values()].filter((refund) => refund.payment_intent === intent.id && refund.status === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0);
    const amount = form.amount === undefined ? intent.amount - refunded : Number(form.amount);
    if (amount > intent.amount - refunded) {
      return stripeError(400, 'invalid_request_error', 'Refund amount is greater than unrefunded amount on charge', { code: 'amount_too_large', param: 'amount' });
    }
    const refund = {
      id: `re_${randomBytes(12).toString('hex')}`,
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge,
      metadata: { ...(form.metadata ?? {}) },
      status: 'succeeded',
      created: Math.floor(Date.now() / 1000),
    };
    refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }

  /** Stripe replays a saved answer for a key; other parameters with it are refused. */
  function idempotent(request: IncomingMessage, rawBody: string, run: () => { status: number; body: unknown }) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return run();
    const scoped = `${request.url}:${key}`;
    const earlier = saved.get(scoped);
    if (earlier) {
      if (earlier.params !== rawBody) return stripeError(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
      return earlier;
    }
    const result = run();
    if (result.status !== 400) saved.set(scoped, { params: rawBody, ...result });
    return result;
  }

  const server = await listen(async (request, rawBody, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/3ds/')) return threeDSPage(url, rawBody, request.method ?? 'GET', response);
    if (request.headers.authorization !== 'Bearer sk_test_fake') {
      return sendJson(response, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    const fault = faults.take();
    if (fault?.kind === 'status') return sendJson(response, fault.status, { error: { type: 'api_error', message: 'An unknown error occurred' } });
    const form = parseForm(rawBody);
    const answer = route(request, url, rawBody, form);
    if (fault?.kind === 'hang') return; // processed, never answered
    sendJson(response, answer.status, answer.body, { 'request-id': `req_${randomBytes(6).toString('hex')}` });
  });
  base = server.url;

  function route(request: IncomingMessage, url: URL, rawBody: string, form: Record<string, any>): { status: number; body: unknown } {
    const method = request.method;
    if (method === 'POST' && url.pathname === '/v1/payment_intents') return idempotent(request, rawBody, () => createIntent(form));
    if (method === 'GET' && url.pathname === '/v1/payment_intents/search') {
      const match = /^metadata\['([a-z_]+)'\]:'([^']*)'$/.exec(url.searchParams.get('query') ?? '');
      if (!match) return stripeError(400, 'invalid_request_error', 'Invalid search query', { param: 'query' });
      const data = [...intents.values()].filter((intent) => intent.metadata[match[1]!] === match[2]);
      return { status: 200, body: { object: 'search_result', data, has_more: false, next_page: null, url: '/v1/payment_intents/search' } };
    }
    const intentPath = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && intentPath) {
      const intent = intents.get(intentPath[1]!);
      return intent ? { status: 200, body: intent } : stripeError(404, 'invalid_request_error', 'No such payment_intent', { code: 'resource_missing' });
    }
    if (method === 'POST' && url.pathname === '/v1/refunds') return idempotent(request, rawBody, () => createRefund(form));
    if (method === 'GET' && url.pathname === '/v1/refunds') {
      const intent = url.searchParams.get('payment_intent');
      const data = [...refunds.values()].filter((refund) => !intent || refund.payment_intent === intent);
      return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/refunds' } };
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${url.pathname})`);
  }

  /** Stripe's hosted 3-D Secure page, reduced to two buttons; then back to `return_url`. */
  function threeDSPage(url: URL, rawBody: string, method: string, response: ServerResponse) {
    const intent = intents.get(url.pathname.slice('/3ds/'.length));
    if (!intent || intent.status !== 'requires_action') return response.writeHead(404, { 'content-type': 'text/plain' }).end('no such authentication');
    if (method === 'GET') {
      return response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>3D Secure test page</title><form method="post"><button name="outcome" value="complete">Complete authentication</button><button name="outcome" value="fail">Fail authentication</button></form>`);
    }
    const outcome = new URLSearchParams(rawBody).get('outcome');
    if (outcome === 'complete') succeed(intent);
    else {
      intent.status = 'requires_payment_method';
      intent.next_action = null;
      intent.last_payment_error = { type: 'card_error', code: 'payment_intent_authentication_failure', message: 'authentication failed' };
    }
    const back = new URL(String(intent.return_url));
    back.searchParams.set('payment_intent', intent.id);
    back.searchParams.set('payment_intent_client_secret', String(intent.client_secret));
    back.searchParams.set('redirect_status', intent.status === 'succeeded' ? 'succeeded' : 'failed');
    response.writeHead(302, { location: back.toString() }).end();
  }

  return {
    url: server.url,
    faults,
    intentFor: (attemptId) => [...intents.values()].find((intent) => intent.metadata.payrail_attempt === attemptId),
    charges: (attemptId) => chargeCount.get(attemptId) ?? 0,
    dispute(paymentIntentId, fields = {}) {
      const intent = intents.get(paymentIntentId);
      const now = Math.floor(Date.now() / 1000);
      return {
        id: `dp_${randomBytes(12).toString('hex')}`,
        object: 'dispute',
        amount: intent?.amount ?? 0,
        currency: intent?.currency ?? 'usd',
        charge: intent?.latest_charge ?? `ch_${randomBytes(12).toString('hex')}`,
        payment_intent: paymentIntentId,
        reason: 'fraudulent',
        status: 'needs_response',
        evidence_details: { due_by: now + 7 * 24 * 3600, has_evidence: false, past_due: false, submission_count: 0 },
        created: now,
        livemode: false,
        ...fields,
      };
    },
    signedEvent(type, object, eventOptions = {}) {
      const event = { id: eventOptions.id ?? `evt_${randomBytes(12).toString('hex')}`, object: 'event', api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000), type, data: { object: structuredClone(object) }, livemode: false, pending_webhooks: 1 };
      const body = JSON.stringify(event);
      const timestamp = eventOptions.timestamp ?? Math.floor(Date.now() / 1000);
      const secret = eventOptions.secret ?? options.webhookSecret ?? '';
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      return { body, headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${signature}` } };
    },
    close: server.close,
  };
}

/** `a[b][c]=1` form encoding, as the SDK sends it, into nested objects. */
export function parseForm(body: string): Record<string, any> {
  const result: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = result;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path[path.length - 1]!] = value;
  }
  return result;
}
