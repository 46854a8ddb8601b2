import { Type } from '@sinclair/typebox';
import { Secret } from '../../domain/secret.ts';
import { fieldText, webhookSecretRequired, type Connector } from '../connector.ts';
import { readStripeWebhook } from './read-webhook.ts';
import { createStripeAcquirer, type StripeAcquirerOptions } from './stripe-acquirer.ts';

const variables = {
  STRIPE_SECRET_KEY: Type.Optional(Type.String({ pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]+$' })),
  STRIPE_WEBHOOK_SECRET: Type.Optional(Type.String({ pattern: '^whsec_[A-Za-z0-9_]+$' })),
  STRIPE_API_URL: Type.String({ pattern: '^https?://[^\\s/]+/?$', default: 'https://api.stripe.com' }),
};

/** Set when STRIPE_SECRET_KEY is (docs/acquirers.md). */
export interface StripeSettings {
  readonly secretKey: Secret<string>;
  readonly webhookSecret: Secret<string> | undefined;
  readonly apiUrl: string;
}

/** Stripe: PaymentIntents, its webhook, its 3-D Secure return (`payment_intent`); no payouts through Payrail. */
export const stripeConnector = {
  name: 'stripe',
  title: 'Stripe',
  variables,
  configure(env, setting) {
    if (!env.STRIPE_SECRET_KEY) {
      if (setting.isDefault) setting.refuse('STRIPE_SECRET_KEY is required when ACQUIRER is stripe');
      return undefined;
    }
    if (setting.production && !env.STRIPE_WEBHOOK_SECRET) setting.refuse(webhookSecretRequired('STRIPE_WEBHOOK_SECRET', 'STRIPE_SECRET_KEY'));
    return Object.freeze({
      secretKey: new Secret(env.STRIPE_SECRET_KEY),
      webhookSecret: env.STRIPE_WEBHOOK_SECRET ? new Secret(env.STRIPE_WEBHOOK_SECRET) : undefined,
      apiUrl: env.STRIPE_API_URL.replace(/\/+$/, ''),
    });
  },
  create: (settings, gateway) => createStripeAcquirer({ secretKey: settings.secretKey.reveal(), apiUrl: settings.apiUrl, timeoutMs: gateway.timeoutMs }),
  open(options) {
    if (!options || !('secretKey' in options)) throw new TypeError('the stripe acquirer needs options.secretKey');
    return createStripeAcquirer(options);
  },
  webhook: {
    secret: (settings) => settings.webhookSecret?.reveal(),
    secretVariable: 'STRIPE_WEBHOOK_SECRET',
    read(request, secret, nowMs) {
      const header = request.headers['stripe-signature'];
      const read = readStripeWebhook(request.body, typeof header === 'string' ? header : undefined, secret, nowMs);
      return 'refused' in read ? read : [read];
    },
    acknowledge: { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ received: true }) },
  },
  // Stripe's return_url gets `payment_intent=pi_…`; the intent itself then says how the step went.
  readReturn: (query) => fieldText(query, 'payment_intent'),
  // A 3-D Secure step is already the PaymentIntent: its challenge id is Stripe's id of the payment.
  paymentIdOf: (attempt) => attempt.reference ?? attempt.challengeId,
  paymentUrl: (reference, settings) => `https://dashboard.stripe.com/${settings && /^(sk|rk)_live_/.test(settings.secretKey.reveal()) ? '' : 'test/'}payments/${reference}`,
} satisfies Connector<'stripe', typeof variables, StripeSettings, StripeAcquirerOptions>;
