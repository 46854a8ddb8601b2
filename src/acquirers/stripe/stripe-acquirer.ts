import type Stripe from 'stripe';
import { payoutsNotSupported, type Acquirer } from '../acquirer.ts';
import { buildAttemptSearch, buildPaymentIntent, buildRefund, REFUND_METADATA_KEY } from './build-request.ts';
import { mapAuthorizationError, mapQueryError, mapRefundError } from './map-error.ts';
import { mapPaymentIntent, mapRefund } from './map-status.ts';

export interface StripeAcquirerOptions {
  /** `sk_test_…` or `sk_live_…` (STRIPE_SECRET_KEY). */
  secretKey: string;
  /** STRIPE_API_URL: Stripe itself, a proxy or a local test server. Default https://api.stripe.com. */
  apiUrl?: string;
  /** Fixed limit per call. Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * The SDK pointed at the configured URL, with no retries of its own: the reconciler retries.
 * Loaded by the first call, not at start (docs/performance.md, "Start-up").
 */
export async function createStripeClient(options: StripeAcquirerOptions): Promise<Stripe> {
  const { default: Stripe } = await import('stripe');
  const url = new URL(options.apiUrl ?? 'https://api.stripe.com');
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(options.secretKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 10_000,
    telemetry: false,
  });
}

/**
 * The Stripe connector: a sale is one PaymentIntent created and confirmed with the card
 * (docs/acquirers.md). Each method is build → SDK call → map; what the SDK throws is mapped too.
 */
export function createStripeAcquirer(options: StripeAcquirerOptions): Acquirer {
  let client: Promise<Stripe> | undefined;
  const sdk = () => (client ??= createStripeClient(options));

  return {
    name: 'stripe',
    ...payoutsNotSupported,
    async authorize(request) {
      const { params, options: callOptions } = buildPaymentIntent(request);
      const stripe = await sdk();
      try {
        return mapPaymentIntent(await stripe.paymentIntents.create(params, callOptions));
      } catch (error) {
        return mapAuthorizationError(error);
      }
    },
    // The browser came back from Stripe's 3-D Secure page: the intent says how it went.
    async completeChallenge(challengeId) {
      const stripe = await sdk();
      try {
        return mapPaymentIntent(await stripe.paymentIntents.retrieve(challengeId));
      } catch (error) {
        return mapQueryError(error);
      }
    },
    async queryAuthorization(idempotencyKey) {
      const stripe = await sdk();
      try {
        const found = await stripe.paymentIntents.search(buildAttemptSearch(idempotencyKey));
        const intent = found.data[0];
        return intent ? mapPaymentIntent(intent) : { outcome: 'not_found' };
      } catch (error) {
        return mapQueryError(error);
      }
    },
    async refund(request) {
      const { params, options: callOptions } = buildRefund(request);
      const stripe = await sdk();
      try {
        const refund = mapRefund(await stripe.refunds.create(params, callOptions));
        return refund.outcome === 'not_found' ? mapQueryError(undefined) : refund;
      } catch (error) {
        return mapRefundError(error);
      }
    },
    async queryRefund(idempotencyKey, saleReference) {
      if (!saleReference) return { outcome: 'unknown', detail: 'Stripe lists refunds per payment; no sale reference given' };
      const stripe = await sdk();
      try {
        const refunds = await stripe.refunds.list({ payment_intent: saleReference, limit: 100 });
        const refund = refunds.data.find((candidate) => candidate.metadata?.[REFUND_METADATA_KEY] === idempotencyKey);
        return refund ? mapRefund(refund) : { outcome: 'not_found' };
      } catch (error) {
        return mapQueryError(error);
      }
    },
    close: async () => {},
  };
}
