import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, listen, sendJson } from '../test-server-kit.ts';

/**
 * A local Stripe that speaks the documented REST shapes the connector uses, driven by the
 * official SDK over real HTTP. What it copies, and from where:
 * - PaymentIntent object, statuses, `next_action.redirect_to_url`, `last_payment_error`:
 *   https://docs.stripe.com/api/payment_intents/object
 * - create-and-confirm with `payment_method_data[card]`, `confirm`, `return_url`:
 *   https://docs.stripe.com/api/payment_intents/create; automatic payment methods on by default, so
 *   a `return_url` is required unless `off_session=true` (or `allow_redirects=never`):
 *   https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods; `payment_method_types`
 *   refused at the SDK's API version (endive):
 *   https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents
 * - search (`metadata['key']:'value'`, a `search_result` list): https://docs.stripe.com/api/payment_intents/search
 * - 402 card errors with `code`, `decline_code` and the failed `payment_intent`: https://docs.stripe.com/api/errors
 * - test cards and what they do: https://docs.stripe.com/testing (declines, 3-D Secure 4000 0000 0000 3220)
 * - idempotency (saved response replayed; other parameters with the same key: `idempotency_error`):
 *   https://docs.stripe.com/api/idempotent_requests
 * - Refund object and list by `payment_intent`: https://docs.stripe.com/api/refunds
 * - the return to `return_url` with `payment_intent=…`: https://docs.stripe.com/payments/3d-secure/authentication-flow
 * - webhook signing, `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`:
 *   https://docs.stripe.com/webhooks#verify-manually
 * - cards on file: Customer (https://docs.stripe.com/api/customers/create), `customer` and
 *   `setup_future_usage` on a sale, which attaches its PaymentMethod to the Customer once it
 *   succeeds; a sale of that PaymentMethod with `off_session=true`, where a card that wants
 *   authentication fails with `authentication_required` (402, the intent back to
 *   `requires_payment_method`): https://docs.stripe.com/payments/save-during-payment and
 *   https://docs.stripe.com/api/payment_intents/create#create_payment_intent-off_session;
 *   `expand[]=payment_method` (https://docs.stripe.com/api/expanding_objects); PaymentMethod
 *   object and detach, after which it can never be used again, and detaching one attached to
 *   no Customer is a 400: https://docs.stripe.com/api/payment_methods/detach; the card
 *   4000 0027 6000 3184, which wants authentication on every sale, on- or off-session
 *   (https://docs.stripe.com/testing#authentication-and-setup)
 * - idempotency keys are per account: one key on another endpoint is an `idempotency_error`
 * Nothing here is copied code; it is written from those pages.
 */

type Card = { number: string; exp_month: string; exp_year: string; cvc: string };
type Intent = Record<string, any> & { id: string; status: string; amount: number; metadata: Record<string, string> };
type Failure = { code: string; decline_code?: string };
/** A PaymentMethod as kept here: its card number stays here, never in an answer. */
type PaymentMethod = { id: string; number: string; customer: string | null; card: { brand: string; last4: string; exp_month: number; exp_year: number }; billing_details: { name: string | null }; created: number; declines?: Failure };

/** What a call to this server carried: for tests that check the stored-credential fields. */
export interface ReceivedCall {
  method: string;
  path: string;
  form: Record<string, any>;
  idempotencyKey: string | undefined;
}

const CARD_BEHAVIOUR: Record<string, Failure | 'approve' | '3ds'> = {
  '4242424242424242': 'approve',
  '5555555555554444': 'approve',
  '4000000000000002': { code: 'card_declined', decline_code: 'generic_decline' },
  '4000000000009995': { code: 'card_declined', decline_code: 'insufficient_funds' },
  '4000000000000069': { code: 'expired_card' },
  '4000000000000127': { code: 'incorrect_cvc' },
  '4000000000000119': { code: 'processing_error' },
  '4000000000003220': '3ds',
  '4000002760003184': '3ds',
};

/** Stripe's answer to an off-session sale of a card that wants authentication. */
const AUTHENTICATION_REQUIRED: Failure = { code: 'authentication_required', decline_code: 'authentication_required' };

export interface FakeStripe {
  url: string;
  faults: FaultQueue;
  /** PaymentIntents created, by our attempt id, and how many times each card was charged. */
  intentFor(attemptId: string): Intent | undefined;
  charges(attemptId: string): number;
  /** Every call received, oldest first (`path` without the query; GET queries are in `form`). */
  received(path?: string | RegExp): ReceivedCall[];
  /** A PaymentMethod as an answer shows it (no card number), with the Customer it is attached to. */
  paymentMethod(id: string): Record<string, unknown> | undefined;
  /** From now on every sale of this PaymentMethod declines, as a saved card whose issuer stops paying. */
  declineSales(paymentMethodId: string, failure?: { code: string; decline_code?: string }): void;
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
  const saved = new Map<string, { path: string; params: string; status: number; body: unknown }>();
  const chargeCount = new Map<string, number>();
  const customers = new Map<string, Record<string, any>>();
  const paymentMethods = new Map<string, PaymentMethod>();
  const calls: ReceivedCall[] = [];
  let base = '';

  const stripeError = (status: number, type: string, message: string, extra: Record<string, unknown> = {}) => ({ status, body: { error: { type, message, ...extra } } });

  const paymentMethodView = ({ number: _number, declines: _declines, ...view }: PaymentMethod) => ({ ...structuredClone(view), object: 'payment_method', type: 'card' });

  /** An intent as an answer shows it: `expand[]=payment_method` (or `data.payment_method` in a list) gives the PaymentMethod in full. */
  function intentView(intent: Intent, expand: string[]) {
    const view = structuredClone(intent);
    const method = paymentMethods.get(String(intent.payment_method));
    if (method && expand.some((field) => field === 'payment_method' || field === 'data.payment_method')) view.payment_method = paymentMethodView(method);
    return view;
  }

  /** The PaymentMethod a sale uses: made from `payment_method_data[card]`, or a saved one of the sale's Customer. */
  function paymentMethodOf(form: Record<string, any>): PaymentMethod | { status: number; body: unknown } {
    const card = form.payment_method_data?.card as Card | undefined;
    if (card?.number) {
      const method: PaymentMethod = {
        id: `pm_${randomBytes(12).toString('hex')}`,
        number: card.number,
        customer: null,
        card: { brand: card.number.startsWith('5') ? 'mastercard' : 'visa', last4: card.number.slice(-4), exp_month: Number(card.exp_month), exp_year: Number(card.exp_year) },
        billing_details: { name: form.payment_method_data?.billing_details?.name ?? null },
        created: Math.floor(Date.now() / 1000),
      };
      paymentMethods.set(method.id, method);
      return method;
    }
    if (!form.payment_method) return stripeError(400, 'invalid_request_error', 'Missing required param', { param: 'payment_method_data[card]' });
    const method = paymentMethods.get(String(form.payment_method));
    if (!method) return stripeError(400, 'invalid_request_error', `No such PaymentMethod: '${form.payment_method}'`, { code: 'resource_missing', param: 'payment_method' });
    if (method.customer === null || method.customer !== form.customer) {
      return stripeError(400, 'invalid_request_error', 'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again.', { param: 'payment_method' });
    }
    return method;
  }

  function createIntent(form: Record<string, any>): { status: number; body: unknown } {
    const amount = Number(form.amount);
    if (!Number.isInteger(amount) || amount < 1 || !form.currency) return stripeError(400, 'invalid_request_error', 'Missing required param', { param: 'amount' });
    if (form.customer !== undefined && !customers.has(String(form.customer))) return stripeError(400, 'invalid_request_error', `No such customer: '${form.customer}'`, { code: 'resource_missing', param: 'customer' });
    if (form.off_session !== undefined && form.confirm !== 'true') return stripeError(400, 'invalid_request_error', 'off_session can only be used with confirm=true', { param: 'off_session' });
    const method = paymentMethodOf(form);
    if (!('id' in method)) return method;
    const offSession = form.off_session === 'true' || form.off_session === 'one_off' || form.off_session === 'recurring';
    // The SDK's API version (endive) no longer takes `payment_method_types`:
    // https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents
    if (form.payment_method_types !== undefined) return stripeError(400, 'invalid_request_error', 'payment_method_types is no longer supported on this API version.', { code: 'payment_method_types_no_longer_supported', param: 'payment_method_types' });
    // Automatic payment methods are on by default: confirming needs a `return_url` unless
    // off-session or redirects are `never` (https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods).
    if (form.confirm === 'true' && !offSession && form.automatic_payment_methods?.allow_redirects !== 'never' && !form.return_url) {
      return stripeError(400, 'invalid_request_error', 'A return_url must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed.', { param: 'return_url' });
    }
    const expand = Object.values<string>(form.expand ?? {});
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
      customer: form.customer ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...(form.metadata ?? {}) },
      next_action: null,
      payment_method: method.id,
      payment_method_types: ['card'],
      setup_future_usage: form.setup_future_usage ?? null,
      status: 'requires_payment_method',
    };
    intents.set(id, intent);
    const behaviour = method.declines ?? CARD_BEHAVIOUR[method.number];
    if (behaviour === 'approve') {
      succeed(intent);
      return { status: 200, body: intentView(intent, expand) };
    }
    if (behaviour === '3ds' && !offSession) {
      if (!form.return_url) return stripeError(400, 'invalid_request_error', 'return_url is required to confirm with a redirect', { param: 'return_url' });
      intent.status = 'requires_action';
      intent.return_url = form.return_url;
      intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `${base}/3ds/${id}`, return_url: form.return_url } };
      return { status: 200, body: intentView(intent, expand) };
    }
    // Off-session, a card that wants 3-D Secure cannot have it: the sale fails.
    const failure = behaviour === '3ds' ? AUTHENTICATION_REQUIRED : (behaviour ?? { code: 'card_declined', decline_code: 'do_not_honor' });
    const message = failure === AUTHENTICATION_REQUIRED ? 'Your card was declined. This transaction requires authentication.' : 'Your card was declined.';
    intent.last_payment_error = { type: 'card_error', ...failure, message };
    return stripeError(402, 'card_error', message, { ...failure, payment_intent: intentView(intent, []) });
  }

  function createCustomer(form: Record<string, any>): { status: number; body: unknown } {
    const customer = { id: `cus_${randomBytes(10).toString('hex')}`, object: 'customer', created: Math.floor(Date.now() / 1000), livemode: false, metadata: { ...(form.metadata ?? {}) } };
    customers.set(customer.id, customer);
    return { status: 200, body: customer };
  }

  /** Detached for good; one attached to no Customer cannot be detached. */
  function detach(id: string): { status: number; body: unknown } {
    const method = paymentMethods.get(id);
    if (!method) return stripeError(404, 'invalid_request_error', `No such PaymentMethod: '${id}'`, { code: 'resource_missing' });
    if (method.customer === null) return stripeError(400, 'invalid_request_error', 'The payment method you provided is not attached to a customer so detachment is impossible.');
    method.customer = null;
    return { status: 200, body: paymentMethodView(method) };
  }

  function succeed(intent: Intent) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = `ch_${randomBytes(8).toString('hex')}`;
    intent.next_action = null;
    // setup_future_usage with a Customer: the PaymentMethod is attached once the sale succeeds.
    const method = paymentMethods.get(String(intent.payment_method));
    if (method && intent.setup_future_usage && intent.customer) method.customer = intent.customer;
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

  /** Stripe replays a saved answer for a key (one per account, on one endpoint); other parameters with it are refused. */
  function idempotent(request: IncomingMessage, rawBody: string, run: () => { status: number; body: unknown }) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return run();
    const earlier = saved.get(key);
    if (earlier) {
      if (earlier.path !== request.url) return stripeError(400, 'idempotency_error', 'Keys for idempotent requests can only be used for the same endpoint they were first used for.');
      if (earlier.params !== rawBody) return stripeError(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
      return earlier;
    }
    const result = run();
    if (result.status !== 400) saved.set(key, { path: request.url ?? '', params: rawBody, ...result });
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
    const form = parseForm(request.method === 'GET' ? url.search.slice(1) : rawBody);
    const key = request.headers['idempotency-key'];
    calls.push({ method: request.method ?? 'GET', path: url.pathname, form, idempotencyKey: typeof key === 'string' ? key : undefined });
    const answer = route(request, url, rawBody, form);
    if (fault?.kind === 'hang') return; // processed, never answered
    sendJson(response, answer.status, answer.body, { 'request-id': `req_${randomBytes(6).toString('hex')}` });
  });
  base = server.url;

  function route(request: IncomingMessage, url: URL, rawBody: string, form: Record<string, any>): { status: number; body: unknown } {
    const method = request.method;
    const expand = Object.values<string>(form.expand ?? {});
    if (method === 'POST' && url.pathname === '/v1/payment_intents') return idempotent(request, rawBody, () => createIntent(form));
    if (method === 'POST' && url.pathname === '/v1/customers') return idempotent(request, rawBody, () => createCustomer(form));
    const methodPath = /^\/v1\/payment_methods\/([^/]+)(\/detach)?$/.exec(url.pathname);
    if (method === 'POST' && methodPath?.[2]) return idempotent(request, rawBody, () => detach(methodPath[1]!));
    if (method === 'GET' && methodPath && !methodPath[2]) {
      const found = paymentMethods.get(methodPath[1]!);
      return found ? { status: 200, body: paymentMethodView(found) } : stripeError(404, 'invalid_request_error', `No such PaymentMethod: '${methodPath[1]}'`, { code: 'resource_missing' });
    }
    if (method === 'GET' && url.pathname === '/v1/payment_intents/search') {
      const match = /^metadata\['([a-z_]+)'\]:'([^']*)'$/.exec(url.searchParams.get('query') ?? '');
      if (!match) return stripeError(400, 'invalid_request_error', 'Invalid search query', { param: 'query' });
      const data = [...intents.values()].filter((intent) => intent.metadata[match[1]!] === match[2]).map((intent) => intentView(intent, expand));
      return { status: 200, body: { object: 'search_result', data, has_more: false, next_page: null, url: '/v1/payment_intents/search' } };
    }
    const intentPath = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && intentPath) {
      const intent = intents.get(intentPath[1]!);
      return intent ? { status: 200, body: intentView(intent, expand) } : stripeError(404, 'invalid_request_error', 'No such payment_intent', { code: 'resource_missing' });
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
    received: (path) => calls.filter((call) => path === undefined || (typeof path === 'string' ? call.path === path : path.test(call.path))),
    paymentMethod(id) {
      const method = paymentMethods.get(id);
      return method && paymentMethodView(method);
    },
    declineSales(paymentMethodId, failure = { code: 'card_declined', decline_code: 'generic_decline' }) {
      const method = paymentMethods.get(paymentMethodId);
      if (!method) throw new Error(`no PaymentMethod ${paymentMethodId} here`);
      method.declines = failure;
    },
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
