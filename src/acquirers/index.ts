import type { Acquirer } from './acquirer.ts';
import type { AnyConnector, ConnectorWebhook, Fields, GatewayResources } from './connector.ts';
import type { ProcessorEvent } from './processor-event.ts';
import { simulatorConnector } from './simulator/connector.ts';
import { httpConnector } from './http/connector.ts';
import { stripeConnector } from './stripe/connector.ts';
import { adyenConnector } from './adyen/connector.ts';

export type * from './acquirer.ts';
export type { HttpAcquirerOptions } from './http/http-acquirer.ts';
export type { AdyenAcquirerOptions } from './adyen/adyen-acquirer.ts';
export type { StripeAcquirerOptions } from './stripe/stripe-acquirer.ts';
export type { SimulatorAcquirer, SimulatorOptions } from './simulator/simulator.ts';
export type { SimulatorStore } from './simulator/store.ts';

/**
 * The registry: every connector the gateway can be configured with, one line each (a connector is
 * its folder, `<name>/connector.ts`; see README.md, "Adding a connector"). Everything else (the
 * names, ACQUIRER's choices, the variables config.ts validates, the webhook route, the 3-D Secure
 * return, the console's links) is read from here. The first is the default ACQUIRER.
 */
export const CONNECTORS = [
  simulatorConnector,
  httpConnector,
  stripeConnector,
  adyenConnector,
] as const;

type Registered = (typeof CONNECTORS)[number];

/** A connector's name, as configured (ACQUIRER, a merchant's list) and recorded on attempts and payouts. */
export type AcquirerName = Registered['name'];
/** A connector whose processor sends webhooks: what a stored processor event names. */
export type ProcessorName = Extract<Registered, { webhook: object }>['name'];
/** A verified webhook event of a registered processor. */
export type KnownProcessorEvent = ProcessorEvent<ProcessorName>;

/** The connectors the gateway can be configured with, in registry order. */
export const ACQUIRER_NAMES: readonly AcquirerName[] = CONNECTORS.map((connector) => connector.name);
/** ACQUIRER when it is not set. */
export const DEFAULT_ACQUIRER: AcquirerName = CONNECTORS[0].name;

type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
/** Every connector's environment variables (TypeBox properties), for config.ts to compose. */
export type ConnectorVariables = Intersection<Registered['variables']>;
export const CONNECTOR_VARIABLES = Object.assign({}, ...CONNECTORS.map((connector) => connector.variables)) as ConnectorVariables;

/** Each configured connector's settings, by name; a connector this gateway is not configured for is absent. */
export type ConnectorSettings = { readonly [C in Registered as C['name']]?: Exclude<ReturnType<C['configure']>, undefined> };

type Named<N extends AcquirerName> = Extract<Registered, { name: N }>;

/** The registered connector of that name (any string: a stored name, a URL segment); undefined when none is. */
export const connectorNamed = (name: string | null | undefined): AnyConnector | undefined => CONNECTORS.find((connector) => connector.name === name);

/** The registered connector of that name when it has a webhook (a processor); undefined otherwise. */
export function processorNamed(name: string): { name: ProcessorName; title: string; webhook: ConnectorWebhook<ProcessorName, unknown> } | undefined {
  const connector = connectorNamed(name);
  return connector?.webhook ? { name: connector.name as ProcessorName, title: connector.title, webhook: connector.webhook as ConnectorWebhook<ProcessorName, unknown> } : undefined;
}

/**
 * The code a browser brings back from a processor's 3-D Secure page: the first connector, in
 * registry order, that finds its own field in the query or the form (`readReturn`).
 */
export function readProcessorReturn(query: Fields, form: Fields | undefined): string | undefined {
  for (const connector of CONNECTORS as readonly AnyConnector[]) {
    const code = connector.readReturn?.(query, form);
    if (code) return code;
  }
  return undefined;
}

/** A connector from options given by hand (tests, tools); the gateway builds its own from the configuration. */
export function createAcquirer<N extends AcquirerName>(name: N, options: Parameters<Named<N>['open']>[0]): ReturnType<Named<N>['open']> {
  const connector = connectorNamed(name);
  if (!connector) throw new TypeError(`unknown acquirer ${String(name)}; expected one of ${ACQUIRER_NAMES.join(', ')}`);
  return connector.open(options) as ReturnType<Named<N>['open']>;
}

/** Every connector the configuration makes reachable, in registry order (the simulator always). */
export function configuredAcquirers(settings: ConnectorSettings, gateway: GatewayResources): Acquirer[] {
  return CONNECTORS.flatMap((connector: AnyConnector) => {
    const configured = settings[connector.name as AcquirerName];
    return configured === undefined ? [] : [connector.create(configured, gateway)];
  });
}
