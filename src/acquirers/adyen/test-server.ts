import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import type { Acquirer } from '../acquirer.ts';
import { createAdyenAcquirer } from './adyen-acquirer.ts';
import { signItem } from './read-notification.ts';
import { FaultQueue, listen, sendJson } from '../test-server-kit.ts';

/**
 * A local Adyen Checkout API (v71 shapes) for the connector's calls over real HTTP. What it
 * copies, and from where:
 * - `POST /payments` request (`paymentMethod.type: scheme` with raw card fields, `expiryYear` in
 *   four digits, `reference`, `returnUrl`, `browserInfo`, `shopperIP`) and response (`resultCode`,
 *   `pspReference`, `refusalReason`, `refusalReasonCode`, `action` of type `redirect`):
 *   https://docs.adyen.com/api-explorer/Checkout/71/post/payments and the published OpenAPI
 *   document github.com/Adyen/adyen-openapi (CheckoutService-v71.json, PaymentResponse, CheckoutRedirectAction)
 * - `POST /payments/details` with `details.redirectResult`: https://docs.adyen.com/api-explorer/Checkout/71/post/payments/details
 * - `POST /payments/{paymentPspReference}/refunds` answered 201 `received`:
 *   https://docs.adyen.com/api-explorer/Checkout/71/post/payments/(paymentPspReference)/refunds
 * - `POST /cancels` by `paymentReference`: https://docs.adyen.com/api-explorer/Checkout/71/post/cancels
 * - refusal reasons and their codes: https://docs.adyen.com/development-resources/refusal-reasons
 * - test cards (4111 1111 4555 1142; 3-D Secure 2: 4917 6100 0000 0000) and refusals chosen by the
 *   holder name: https://docs.adyen.com/development-resources/test-cards-and-credentials/test-card-numbers
 * - RFC 7807 errors with `errorCode`: https://docs.adyen.com/development-resources/response-handling
 * - idempotency (same key answers the first response): https://docs.adyen.com/development-resources/api-idempotency
 * - webhook items and their HMAC: https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures
 * - cards on file: `storePaymentMethod` with `shopperReference` (at least 3 characters) answered with
 *   `additionalData['tokenization.storedPaymentMethodId']` (and `expiryDate`), a sale with
 *   `paymentMethod.storedPaymentMethodId`, `shopperInteraction: ContAuth` and `recurringProcessingModel`
 *   `CardOnFile` (the shopper paying) or `Subscription` / `UnscheduledCardOnFile` (the merchant), and
 *   `DELETE /storedPaymentMethods/{storedPaymentMethodId}?shopperReference=&merchantAccount=` answered
 *   204: https://docs.adyen.com/online-payments/tokenization/create-and-use-tokens, the OpenAPI
 *   document above (PaymentRequest, ResponseAdditionalDataCommon), refusal reason 38 "Authentication
 *   required"; a token it does not have is 422 `errorCode 803` "PaymentDetail not found"
 * Written from those pages; no code copied.
 */

const REFUSALS: Record<string, [code: string, reason: string]> = {
  DECLINED: ['2', 'Refused'],
  NOT_ENOUGH_BALANCE: ['12', 'Not enough balance'],
  CARD_EXPIRED: ['6', 'Expired Card'],
  CVC_DECLINED: ['24', 'CVC Declined'],
};

/** On a merchant-initiated sale (Subscription, UnscheduledCardOnFile), as the simulator's cards (docs/api.md, "Test cards"). */
const MERCHANT_INITIATED_REFUSALS: Record<string, [code: string, reason: string]> = {
  '4000000000000341': ['2', 'Refused'],
  '4000002760003184': ['38', 'Authentication required'],
};
const PROCESSING_MODELS = ['CardOnFile', 'Subscription', 'UnscheduledCardOnFile'];
/** The 3-D Secure card asks for the shopper on every sale, stored or not. */
const THREE_DS_CARD = '4917610000000000';

/** A card stored under a shopperReference; what a stored sale pays with. */
export interface StoredMethod {
  id: string;
  shopperReference: string;
  number: string;
  expiryMonth: string;
  expiryYear: string;
  holderName: string;
}

interface Payment {
  pspReference: string;
  reference: string;
  amount: { value: number; currency: string };
  resultCode: string;
  returnUrl?: string;
  request: Record<string, any>;
  /** The card paid with, typed or stored. */
  card: { number: string; expiryMonth: string; expiryYear: string; holderName: string };
  cancelled?: boolean;
}

export interface FakeAdyen {
  /** The base URL with the version, as ADYEN_CHECKOUT_URL. */
  checkoutUrl: string;
  faults: FaultQueue;
  payment(reference: string): Payment | undefined;
  authorisations(reference: string): number;
  /** The cards stored under this shopperReference and not deleted. */
  storedMethods(shopperReference: string): StoredMethod[];
  /**
   * What the shopper does on the issuer's page of a sale answered RedirectShopper (by our
   * reference): types the password (`password` passes, anything else fails); resolves to where
   * the browser is sent back, the sale's returnUrl with `redirectResult`.
   */
  authenticate(reference: string, password?: string): Promise<URL>;
  /** Every DELETE of a stored card this server was asked for, as it came. */
  deletions: Array<{ storedPaymentMethodId: string; shopperReference: string | null; merchantAccount: string | null }>;
  /**
   * A dispute notification item about a payment this server authorised (by our reference), as
   * Adyen sends them (https://docs.adyen.com/risk-management/disputes-api/dispute-notifications):
   * `originalReference` the payment's pspReference, the whole amount, a fraud reason, the
   * defence period; `fields` override. Send it with `notification(item, key)`.
   */
  disputeItem(reference: string, eventCode: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** A webhook batch of one item, signed with the HMAC key (or another to forge). */
  notification(item: Record<string, unknown>, hmacKey: string): string;
  close(): Promise<void>;
}

export async function startFakeAdyen(options: { apiKey: string; merchantAccount: string }): Promise<FakeAdyen> {
  const faults = new FaultQueue();
  const payments = new Map<string, Payment>();
  const redirectResults = new Map<string, { reference: string; passed: boolean }>();
  const saved = new Map<string, { body: string; status: number; answer: unknown }>();
  const counts = new Map<string, number>();
  const stored = new Map<string, StoredMethod>();
  const deletions: FakeAdyen['deletions'] = [];
  let base = '';
  const psp = () => randomBytes(8).toString('hex').toUpperCase();
  const problem = (status: number, errorCode: string, detail: string) => ({ status, answer: { type: 'https://docs.adyen.com/errors/validation', title: 'Invalid request', status, detail, errorCode } });

  function authorise(payment: Payment) {
    payment.resultCode = 'Authorised';
    counts.set(payment.reference, (counts.get(payment.reference) ?? 0) + 1);
  }

  function pay(body: Record<string, any>): { status: number; answer: unknown } {
    if (body.merchantAccount !== options.merchantAccount) return problem(403, '901', 'Invalid Merchant Account');
    if (!body.reference || !Number.isInteger(body.amount?.value)) return problem(422, '130', 'Required field reference or amount is missing');
    const method = body.paymentMethod ?? {};
    if (method.type !== 'scheme') return problem(422, '130', 'Required field paymentMethod is missing');
    if (method.storedPaymentMethodId) return payStored(body);
    if (!method.number) return problem(422, '130', 'Required field paymentMethod is missing');
    if (!/^[0-9]{4}$/.test(String(method.expiryYear))) return problem(422, '129', 'Expiry Date Invalid: expiryYear must be four digits');
    if (!/^(0[1-9]|1[0-2])$/.test(String(method.expiryMonth))) return problem(422, '129', 'Expiry Date Invalid');
    if (body.storePaymentMethod === true) {
      const refused = refusedIndicators(body, ['Ecommerce'], PROCESSING_MODELS);
      if (refused) return refused;
    }
    const payment = newPayment(body, method);
    const refusal = REFUSALS[String(method.holderName ?? '').toUpperCase()];
    if (refusal) return refuse(payment, refusal);
    if (String(method.holderName).toUpperCase() === 'ERROR') return { status: 200, answer: { pspReference: payment.pspReference, resultCode: 'Error', refusalReason: 'Acquirer Error', merchantReference: payment.reference } };
    if (method.number === THREE_DS_CARD) return redirect(payment);
    authorise(payment);
    return authorisedAnswer(payment);
  }

  /** A sale with a stored card: its shopperReference, and the indicators of who is paying. */
  function payStored(body: Record<string, any>): { status: number; answer: unknown } {
    const method = body.paymentMethod;
    const card = stored.get(String(method.storedPaymentMethodId));
    if (!card || card.shopperReference !== body.shopperReference) return problem(422, '803', 'PaymentDetail not found');
    const refused = refusedIndicators(body, ['ContAuth'], PROCESSING_MODELS);
    if (refused) return refused;
    const payment = newPayment(body, card);
    const merchantInitiated = body.recurringProcessingModel !== 'CardOnFile';
    const refusal = merchantInitiated ? MERCHANT_INITIATED_REFUSALS[card.number] : undefined;
    if (refusal) return refuse(payment, refusal);
    if (card.number === THREE_DS_CARD) return redirect(payment);
    authorise(payment);
    return authorisedAnswer(payment);
  }

  function refusedIndicators(body: Record<string, any>, interactions: string[], models: string[]) {
    if (typeof body.shopperReference !== 'string' || body.shopperReference.length < 3) return problem(422, '130', 'shopperReference must be at least 3 characters');
    if (!interactions.includes(body.shopperInteraction)) return problem(422, '130', `shopperInteraction must be ${interactions.join(' or ')}`);
    if (!models.includes(body.recurringProcessingModel)) return problem(422, '130', `recurringProcessingModel must be ${models.join(' or ')}`);
    return undefined;
  }

  function newPayment(body: Record<string, any>, card: { number: string; expiryMonth: string; expiryYear: string; holderName?: string }): Payment {
    const payment: Payment = {
      pspReference: psp(),
      reference: body.reference,
      amount: body.amount,
      resultCode: 'Received',
      returnUrl: body.returnUrl,
      request: body,
      card: { number: card.number, expiryMonth: card.expiryMonth, expiryYear: card.expiryYear, holderName: String(card.holderName ?? '') },
    };
    payments.set(payment.reference, payment);
    return payment;
  }

  function refuse(payment: Payment, [code, reason]: [string, string]) {
    payment.resultCode = 'Refused';
    return { status: 200, answer: { pspReference: payment.pspReference, resultCode: 'Refused', refusalReasonCode: code, refusalReason: reason, merchantReference: payment.reference, amount: payment.amount } };
  }

  function redirect(payment: Payment) {
    if (!payment.returnUrl) return problem(422, '14_003', 'returnUrl is required for a redirect');
    payment.resultCode = 'RedirectShopper';
    return { status: 200, answer: { resultCode: 'RedirectShopper', merchantReference: payment.reference, action: { type: 'redirect', method: 'GET', url: `${base}/3ds/${payment.reference}?session=${psp()}`, paymentMethodType: 'scheme' } } };
  }

  /** An authorised sale's answer; one that asked to store its card stores it (the same card again: the same token) and says so in additionalData. */
  function authorisedAnswer(payment: Payment) {
    const { request, card } = payment;
    let additionalData: Record<string, string> | undefined;
    if (request.storePaymentMethod === true) {
      const shopperReference = String(request.shopperReference);
      const existing = [...stored.values()].find((method) => method.shopperReference === shopperReference && method.number === card.number);
      const method = existing ?? { id: psp(), shopperReference, ...card };
      stored.set(method.id, method);
      additionalData = {
        'tokenization.storedPaymentMethodId': method.id,
        'tokenization.shopperReference': shopperReference,
        'tokenization.store.operationType': existing ? 'alreadyExisting' : 'created',
        expiryDate: `${Number(card.expiryMonth)}/${card.expiryYear}`,
      };
    }
    return { status: 200, answer: { pspReference: payment.pspReference, resultCode: 'Authorised', merchantReference: payment.reference, amount: payment.amount, ...(additionalData ? { additionalData } : {}) } };
  }

  function details(body: Record<string, any>): { status: number; answer: unknown } {
    const found = redirectResults.get(String(body.details?.redirectResult ?? ''));
    const payment = found && payments.get(found.reference);
    if (!found || !payment) return problem(422, '101', 'Invalid redirectResult');
    if (payment.resultCode === 'RedirectShopper') {
      if (found.passed) authorise(payment);
      else payment.resultCode = 'Refused';
    }
    if (payment.resultCode === 'Authorised') return authorisedAnswer(payment);
    return { status: 200, answer: { pspReference: payment.pspReference, resultCode: 'Refused', refusalReason: '3D Not Authenticated', refusalReasonCode: '11', merchantReference: payment.reference } };
  }

  function deleteStored(id: string, query: URLSearchParams): { status: number; answer?: unknown } {
    const shopperReference = query.get('shopperReference');
    const merchantAccount = query.get('merchantAccount');
    deletions.push({ storedPaymentMethodId: id, shopperReference, merchantAccount });
    if (merchantAccount !== options.merchantAccount) return problem(403, '901', 'Invalid Merchant Account');
    const card = stored.get(id);
    if (!card || card.shopperReference !== shopperReference) return problem(422, '803', 'PaymentDetail not found');
    stored.delete(id);
    return { status: 204 };
  }

  const server = await listen((request, rawBody, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/3ds/')) return threeDSPage(url, rawBody, request.method ?? 'GET', response);
    if (!url.pathname.startsWith('/v71/')) return sendJson(response, 404, { status: 404, errorCode: '000', detail: 'not found' });
    if (request.headers['x-api-key'] !== options.apiKey) return sendJson(response, 401, { status: 401, errorCode: '000', errorType: 'security', message: 'HTTP Status Response - Unauthorized' });
    const fault = faults.take();
    if (fault?.kind === 'status') return sendJson(response, fault.status, { status: fault.status, errorCode: `00_${fault.status}`, title: 'Service unavailable' });
    const storedMethod = /^\/v71\/storedPaymentMethods\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'DELETE' && storedMethod) {
      const result = deleteStored(decodeURIComponent(storedMethod[1]!), url.searchParams);
      if (fault?.kind === 'hang') return;
      return result.status === 204 ? response.writeHead(204).end() : sendJson(response, result.status, result.answer);
    }
    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody) as Record<string, any>;
    } catch {
      return sendJson(response, 400, { status: 400, errorCode: '702', detail: 'Structure of the request is invalid' });
    }
    const key = request.headers['idempotency-key'];
    const path = url.pathname.slice('/v71'.length);
    const run = (): { status: number; answer: unknown } => {
      if (path === '/payments') return pay(body);
      if (path === '/payments/details') return details(body);
      if (path === '/cancels') {
        const payment = payments.get(String(body.paymentReference));
        if (payment) payment.cancelled = true;
        return { status: 201, answer: { merchantAccount: body.merchantAccount, paymentReference: body.paymentReference, reference: body.reference, pspReference: psp(), status: 'received' } };
      }
      const refund = /^\/payments\/([^/]+)\/refunds$/.exec(path);
      if (refund) {
        const payment = [...payments.values()].find((candidate) => candidate.pspReference === refund[1]);
        if (!payment || payment.resultCode !== 'Authorised') return problem(422, '167', 'Original pspReference required for this operation');
        return { status: 201, answer: { merchantAccount: body.merchantAccount, paymentPspReference: payment.pspReference, reference: body.reference, amount: body.amount, pspReference: psp(), status: 'received' } };
      }
      return { status: 404, answer: { status: 404, errorCode: '000', detail: 'not found' } };
    };
    let result: { status: number; answer: unknown };
    const earlier = typeof key === 'string' ? saved.get(key) : undefined;
    if (earlier && earlier.body !== rawBody) result = problem(422, '704', 'Idempotency key reused with a different request');
    else if (earlier) result = earlier;
    else {
      result = run();
      if (typeof key === 'string') saved.set(key, { body: rawBody, ...result });
    }
    if (fault?.kind === 'hang') return; // processed, never answered
    sendJson(response, result.status, result.answer, { 'psp-reference': psp() });
  });
  base = server.url;

  /** The issuer's page, reduced to two buttons; then back to `returnUrl` with `redirectResult`. */
  function threeDSPage(url: URL, rawBody: string, method: string, response: ServerResponse) {
    const payment = payments.get(url.pathname.slice('/3ds/'.length));
    if (!payment || payment.resultCode !== 'RedirectShopper' || !payment.returnUrl) return response.writeHead(404).end('unknown authentication');
    if (method === 'GET') {
      return response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>Adyen 3-D Secure test</title><form method="post"><label>Password <input name="password"></label><button>Continue</button></form>`);
    }
    const passed = new URLSearchParams(rawBody).get('password') === 'password';
    const redirectResult = randomBytes(24).toString('base64url');
    redirectResults.set(redirectResult, { reference: payment.reference, passed });
    const back = new URL(payment.returnUrl);
    back.searchParams.set('redirectResult', redirectResult);
    response.writeHead(302, { location: back.toString() }).end();
  }

  return {
    checkoutUrl: `${server.url}/v71`,
    faults,
    payment: (reference) => payments.get(reference),
    authorisations: (reference) => counts.get(reference) ?? 0,
    async authenticate(reference, password = 'password') {
      const back = await fetch(`${base}/3ds/${encodeURIComponent(reference)}`, { method: 'POST', body: new URLSearchParams({ password }), redirect: 'manual' });
      const location = back.headers.get('location');
      if (back.status !== 302 || !location) throw new Error(`no redirect waits for the shopper of ${reference}`);
      return new URL(location);
    },
    storedMethods: (shopperReference) => [...stored.values()].filter((method) => method.shopperReference === shopperReference),
    deletions,
    disputeItem(reference, eventCode, fields = {}) {
      const payment = payments.get(reference);
      const additionalData = { chargebackReasonCode: '10.4', defensePeriodEndsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(), ...((fields.additionalData as object | undefined) ?? {}) };
      return {
        pspReference: randomBytes(8).toString('hex').toUpperCase(),
        originalReference: payment?.pspReference ?? '',
        merchantReference: reference,
        amount: payment?.amount ?? { value: 0, currency: 'USD' },
        eventCode,
        success: 'true',
        reason: 'Other Fraud-Card Absent Environment',
        ...fields,
        additionalData,
      };
    },
    notification(item, hmacKey) {
      const full = { merchantAccountCode: options.merchantAccount, eventDate: new Date().toISOString(), ...item } as Record<string, any>;
      full.additionalData = { ...(full.additionalData ?? {}), hmacSignature: signItem(full, hmacKey) };
      return JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: full }] });
    },
    close: server.close,
  };
}

/**
 * For a vitest suite of the connector: a local Adyen (API key `test-key`, merchant account
 * `PayrailECOM`) and the connector pointed at it, started before the suite's tests, closed after.
 */
export function localAdyenForSuite(): { adyen: FakeAdyen; acquirer: Acquirer } {
  const local = {} as { adyen: FakeAdyen; acquirer: Acquirer };
  beforeAll(async () => {
    local.adyen = await startFakeAdyen({ apiKey: 'test-key', merchantAccount: 'PayrailECOM' });
    local.acquirer = createAdyenAcquirer({ apiKey: 'test-key', merchantAccount: 'PayrailECOM', checkoutUrl: local.adyen.checkoutUrl, timeoutMs: 1_000 });
  });
  afterAll(async () => {
    await local.acquirer?.close();
    await local.adyen?.close();
  });
  return local;
}
