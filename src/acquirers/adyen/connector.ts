import { Type } from '@sinclair/typebox';
import { Secret } from '../../domain/secret.ts';
import { fieldText, webhookSecretRequired, type Connector } from '../connector.ts';
import { parseJson } from '../json.ts';
import { createAdyenAcquirer, type AdyenAcquirerOptions } from './adyen-acquirer.ts';
import { readAdyenNotification } from './read-notification.ts';

const variables = {
  ADYEN_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  ADYEN_MERCHANT_ACCOUNT: Type.Optional(Type.String({ minLength: 1 })),
  ADYEN_HMAC_KEY: Type.Optional(Type.String({ pattern: '^([0-9A-Fa-f]{2})+$' })),
  ADYEN_CHECKOUT_URL: Type.String({ pattern: '^https?://[^\\s]+$', default: 'https://checkout-test.adyen.com/v71' }),
};

/** Set when ADYEN_API_KEY is (docs/acquirers.md). */
export interface AdyenSettings {
  readonly apiKey: Secret<string>;
  readonly merchantAccount: string;
  readonly hmacKey: Secret<string> | undefined;
  readonly checkoutUrl: string;
}

/** Adyen: Checkout API, its batched notifications, its 3-D Secure return (`redirectResult`); no payouts through Payrail. */
export const adyenConnector = {
  name: 'adyen',
  title: 'Adyen',
  variables,
  configure(env, setting) {
    if (!env.ADYEN_API_KEY) {
      if (setting.isDefault) setting.refuse('ADYEN_API_KEY is required when ACQUIRER is adyen');
      return undefined;
    }
    if (!env.ADYEN_MERCHANT_ACCOUNT) return setting.refuse('ADYEN_MERCHANT_ACCOUNT is required when ADYEN_API_KEY is set');
    if (setting.production && !env.ADYEN_HMAC_KEY) setting.refuse(webhookSecretRequired('ADYEN_HMAC_KEY', 'ADYEN_API_KEY'));
    return Object.freeze({
      apiKey: new Secret(env.ADYEN_API_KEY),
      merchantAccount: env.ADYEN_MERCHANT_ACCOUNT,
      hmacKey: env.ADYEN_HMAC_KEY ? new Secret(env.ADYEN_HMAC_KEY) : undefined,
      checkoutUrl: env.ADYEN_CHECKOUT_URL.replace(/\/+$/, ''),
    });
  },
  create: (settings, gateway) =>
    createAdyenAcquirer({ apiKey: settings.apiKey.reveal(), merchantAccount: settings.merchantAccount, checkoutUrl: settings.checkoutUrl, timeoutMs: gateway.timeoutMs }),
  open(options) {
    if (!options || !('merchantAccount' in options)) throw new TypeError('the adyen acquirer needs options.merchantAccount');
    return createAdyenAcquirer(options);
  },
  webhook: {
    secret: (settings) => settings.hmacKey?.reveal(),
    secretVariable: 'ADYEN_HMAC_KEY',
    read: (request, hexKey, nowMs) => readAdyenNotification(parseJson(request.body.toString('utf8')), hexKey, nowMs),
    // Adyen wants exactly this body to count the batch as delivered.
    acknowledge: { contentType: 'text/plain', body: '[accepted]' },
  },
  // Adyen sends `redirectResult` back in the query or, after a POST, in the form.
  readReturn: (query, form) => fieldText(query, 'redirectResult') ?? fieldText(form, 'redirectResult'),
  paymentUrl: (reference, settings) =>
    `https://ca-${settings && !/checkout-test\./.test(settings.checkoutUrl) ? 'live' : 'test'}.adyen.com/ca/ca/accounts/showTx.shtml?pspReference=${reference}&txType=Payment`,
} satisfies Connector<'adyen', typeof variables, AdyenSettings, AdyenAcquirerOptions>;
