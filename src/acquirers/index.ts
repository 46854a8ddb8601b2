import type { Acquirer } from './acquirer.ts';
import { createHttpAcquirer, type HttpAcquirerOptions } from './http/http-acquirer.ts';
import { createSimulatorAcquirer, type SimulatorAcquirer, type SimulatorOptions } from './simulator/simulator.ts';
import { createAdyenAcquirer, type AdyenAcquirerOptions } from './adyen/adyen-acquirer.ts';
import { createStripeAcquirer, type StripeAcquirerOptions } from './stripe/stripe-acquirer.ts';

export type * from './acquirer.ts';
export type { HttpAcquirerOptions } from './http/http-acquirer.ts';
export type { AdyenAcquirerOptions } from './adyen/adyen-acquirer.ts';
export type { StripeAcquirerOptions } from './stripe/stripe-acquirer.ts';
export type { SimulatorAcquirer, SimulatorOptions } from './simulator/simulator.ts';
export type { SimulatorStore } from './simulator/store.ts';

/** The connectors the gateway can be configured with. */
export const ACQUIRER_NAMES = ['simulator', 'http', 'stripe', 'adyen'] as const;
export type AcquirerName = (typeof ACQUIRER_NAMES)[number];

/** Each connector's options, by name; configuration can be typed as this. */
export interface AcquirerOptions {
  simulator: SimulatorOptions;
  http: HttpAcquirerOptions;
  stripe: StripeAcquirerOptions;
  adyen: AdyenAcquirerOptions;
}

/** The connector named in configuration. */
export function createAcquirer(name: 'simulator', options?: SimulatorOptions): SimulatorAcquirer;
export function createAcquirer(name: 'http', options: HttpAcquirerOptions): Acquirer;
export function createAcquirer(name: 'stripe', options: StripeAcquirerOptions): Acquirer;
export function createAcquirer(name: 'adyen', options: AdyenAcquirerOptions): Acquirer;
export function createAcquirer<N extends AcquirerName>(name: N, options: AcquirerOptions[N]): Acquirer;
export function createAcquirer(name: AcquirerName, options?: AcquirerOptions[AcquirerName]): Acquirer {
  switch (name) {
    case 'simulator':
      return createSimulatorAcquirer(options as SimulatorOptions | undefined);
    case 'http':
      if (!options || !('baseUrl' in options)) throw new TypeError('the http acquirer needs options.baseUrl');
      return createHttpAcquirer(options);
    case 'stripe':
      if (!options || !('secretKey' in options)) throw new TypeError('the stripe acquirer needs options.secretKey');
      return createStripeAcquirer(options);
    case 'adyen':
      if (!options || !('merchantAccount' in options)) throw new TypeError('the adyen acquirer needs options.merchantAccount');
      return createAdyenAcquirer(options);
    default:
      throw new TypeError(`unknown acquirer ${String(name)}; expected one of ${ACQUIRER_NAMES.join(', ')}`);
  }
}
