import { Type } from '@sinclair/typebox';
import type { Connector } from '../connector.ts';
import { createHttpAcquirer, type HttpAcquirerOptions } from './http-acquirer.ts';

const variables = {
  ACQUIRER_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
};

/** Set when ACQUIRER_URL is. */
export interface HttpSettings {
  readonly url: string;
}

/** The Payrail test acquirer's HTTP protocol (wire.ts), as `payrail acquirer-sim` serves it. */
export const httpConnector = {
  name: 'http',
  title: 'the HTTP acquirer',
  variables,
  configure(env, setting) {
    if (!env.ACQUIRER_URL) {
      if (setting.isDefault) setting.refuse('ACQUIRER_URL is required when ACQUIRER is http');
      return undefined;
    }
    return Object.freeze({ url: env.ACQUIRER_URL });
  },
  create: (settings, gateway) => createHttpAcquirer({ baseUrl: settings.url, timeoutMs: gateway.timeoutMs }),
  open(options) {
    if (!options || !('baseUrl' in options)) throw new TypeError('the http acquirer needs options.baseUrl');
    return createHttpAcquirer(options);
  },
} satisfies Connector<'http', typeof variables, HttpSettings, HttpAcquirerOptions>;
