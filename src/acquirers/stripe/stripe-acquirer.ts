import type Stripe from 'stripe';
import { payoutsNotSupported, type Acquirer, type AuthorizationResult } from '../acquirer.ts';
import {
  buildAttemptSearch,
  buildCustomer,
  buildPaymentIntent,
  buildRefund,
  buildStoredPaymentIntent,
  EXPAND_PAYMENT_METHOD,
  REFUND_METADATA_KEY,
  type StripeCall,
} from './build-request.ts';
import { isDetached, mapAuthorizationError, mapQueryError, mapRefundError } from './map-error.ts';
import { mapPaymentIntent, mapRefund } from './map-status.ts';
import { readStoredCardToken } from './stored-card-token.ts';

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

  /** Every sale, of a typed card or a saved one: one PaymentIntent created and confirmed, then mapped. */
  async function sell(call: StripeCall<Stripe.PaymentIntentCreateParams>): Promise<AuthorizationResult> {
    const stripe = await sdk();
    try {
      return mapPaymentIntent(await stripe.paymentIntents.create(call.params, call.options));
    } catch (error) {
      return mapAuthorizationError(error, call.params.off_session === true);
    }
  }

  return {
    name: 'stripe',
    ...payoutsNotSupported,
    async authorize(request) {
      if (!request.saveFor) return sell(buildPaymentIntent(request));
      // Saving the card: first the Customer it is attached to. No money moves before the sale, so
      // a failure here answers as the sale would (a lost answer is unknown; the query finds no sale).
      const customer = buildCustomer(request, request.saveFor.customerReference);
      const stripe = await sdk();
      let customerId: string;
      try {
        customerId = (await stripe.customers.create(customer.params, customer.options)).id;
      } catch (error) {
        return mapAuthorizationError(error);
      }
      return sell(buildPaymentIntent(request, customerId));
    },
    async authorizeStored(request) {
      const card = readStoredCardToken(request.storedCard.token);
      if (!card) return { outcome: 'error', reason: 'INVALID_REQUEST', retryable: false };
      return sell(buildStoredPaymentIntent(request, card));
    },
    // Detached, the PaymentMethod can never be charged or attached again. One already detached
    // (or gone) is as good as deleted; any other answer is unknown.
    async deleteStoredCard(storedCard) {
      const card = readStoredCardToken(storedCard.token);
      if (!card) return { outcome: 'unknown', detail: 'not the token of a card saved at Stripe' };
      const stripe = await sdk();
      try {
        await stripe.paymentMethods.detach(card.paymentMethod);
        return { outcome: 'deleted' };
      } catch (error) {
        return isDetached(error, () => stripe.paymentMethods.retrieve(card.paymentMethod));
      }
    },
    // The browser came back from Stripe's 3-D Secure page: the intent says how it went.
    async completeChallenge(challengeId) {
      const stripe = await sdk();
      try {
        return mapPaymentIntent(await stripe.paymentIntents.retrieve(challengeId, { expand: EXPAND_PAYMENT_METHOD }));
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
