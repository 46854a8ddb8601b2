import type { Acquirer } from './acquirer.ts';
import { createHttpAcquirer, type HttpAcquirerOptions } from './http/http-acquirer.ts';
import { createSimulatorAcquirer, type SimulatorAcquirer, type SimulatorOptions } from './simulator/simulator.ts';

export type * from './acquirer.ts';
export type { HttpAcquirerOptions } from './http/http-acquirer.ts';
export type { SimulatorAcquirer, SimulatorOptions } from './simulator/simulator.ts';
export type { SimulatorStore } from './simulator/store.ts';

/** The connectors the gateway can be configured with. */
export const ACQUIRER_NAMES = ['simulator', 'http'] as const;
export type AcquirerName = (typeof ACQUIRER_NAMES)[number];

/** Each connector's options, by name; configuration can be typed as this. */
export interface AcquirerOptions {
  simulator: SimulatorOptions;
  http: HttpAcquirerOptions;
}

/** The connector named in configuration. */
export function createAcquirer(name: 'simulator', options?: SimulatorOptions): SimulatorAcquirer;
export function createAcquirer(name: 'http', options: HttpAcquirerOptions): Acquirer;
export function createAcquirer<N extends AcquirerName>(name: N, options: AcquirerOptions[N]): Acquirer;
export function createAcquirer(name: AcquirerName, options?: SimulatorOptions | HttpAcquirerOptions): Acquirer {
  switch (name) {
    case 'simulator':
      return createSimulatorAcquirer(options as SimulatorOptions | undefined);
    case 'http':
      if (!options || !('baseUrl' in options)) throw new TypeError('the http acquirer needs options.baseUrl');
      return createHttpAcquirer(options);
    default:
      throw new TypeError(`unknown acquirer ${String(name)}; expected one of ${ACQUIRER_NAMES.join(', ')}`);
  }
}
