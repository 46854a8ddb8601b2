import type { IncomingHttpHeaders } from 'node:http';
import type { Static, TObject, TProperties } from '@sinclair/typebox';
import type { Acquirer } from './acquirer.ts';
import type { ProcessorEvent, RefusedWebhook } from './processor-event.ts';
import type { SimulatorStore } from './simulator/store.ts';

/**
 * Everything processor-specific about one connector, in its own folder (`<name>/connector.ts`),
 * listed once in the registry (`index.ts`). The gateway asks this and never names a processor:
 * configuration (`config.ts` composes each connector's variables), the webhook route
 * (`POST /v1/acquirers/:name/webhook`), the cashier's return from a processor's 3-D Secure page,
 * the console's link to the payment at the processor, and the `Acquirer` itself.
 *
 * `Variables` are the environment variables the connector reads, as TypeBox schema properties;
 * `Settings` what it makes of them (undefined: not configured on this gateway); `Options` what
 * its `Acquirer` factory takes, for tests and tools that build one by hand.
 */
export interface Connector<Name extends string, Variables extends TProperties, Settings, Options, Made extends Acquirer = Acquirer> {
  /** As configured (ACQUIRER, a merchant's list) and as recorded on attempts, payouts and events. */
  readonly name: Name;
  /** For people: log lines and answers ("Stripe webhooks are not configured"). */
  readonly title: string;
  /** Its environment variables (README.md, "Configuration"), each validated by config.ts. */
  readonly variables: Variables;
  /**
   * Its settings from its validated variables; undefined when this gateway is not configured for
   * it. A combination that cannot work is refused with `refuse(message)`, naming the variable.
   */
  configure(variables: Static<TObject<Variables>>, setting: ConfigureSetting): Settings | undefined;
  /** The connector the gateway uses, from its settings. */
  create(settings: Settings, gateway: GatewayResources): Made;
  /** The connector from options given by hand (`createAcquirer(name, options)`). */
  open(options: Options): Made;
  /** Its processor's webhook, when it has one; without, `POST /v1/acquirers/<name>/webhook` answers 404. */
  readonly webhook?: ConnectorWebhook<Name, Settings>;
  /**
   * The code the browser brings back from this processor's 3-D Secure page (a query field or,
   * after a POST, a form field), handed to `completeChallenge`; undefined when it brings none.
   */
  readReturn?(query: Fields, form: Fields | undefined): string | undefined;
  /**
   * The processor's id of the payment an attempt made, as recorded: the approved sale's
   * `reference` or, for a processor whose 3-D Secure step is already the payment, its challenge
   * id. Null while we do not know it. Absent: the reference.
   */
  paymentIdOf?(attempt: { reference: string | null; challengeId: string | null }): string | null;
  /** Where an operator looks this payment up in the processor's own dashboard (test or live, from the settings). */
  paymentUrl?(reference: string, settings: Settings | undefined): string | undefined;
  /** The code that passes this connector's own 3-D Secure step, shown on the page outside production. */
  readonly testChallengeCode?: string;
}

export interface ConfigureSetting {
  /** PAYRAIL_ENV is production. */
  production: boolean;
  /** ACQUIRER names this connector. */
  isDefault: boolean;
  /** Stops start-up with this message (a ConfigError); never the value. */
  refuse(message: string): never;
}

/** What the gateway lends a connector it creates. */
export interface GatewayResources {
  /** ACQUIRER_TIMEOUT_MS: how long a call may take before its outcome counts as unknown. */
  timeoutMs: number;
  /** Where the simulator keeps its records: the gateway's database, so every node sees one simulated acquirer. */
  simulatorStore: SimulatorStore;
}

/** A query string or a form, as parsed: a field is a string when it is one value. */
export type Fields = Record<string, unknown>;

/** A processor's webhook: how it is verified, read and answered. */
export interface ConnectorWebhook<Name extends string, Settings> {
  /** The secret that verifies it, when the settings hold one; without, the route answers 404. */
  secret(settings: Settings): string | undefined;
  /** The variable that holds that secret, for the start-up warning when it is not set. */
  readonly secretVariable: string;
  /**
   * Verifies the raw request and reads its events. Never throws: a request that does not verify
   * is refused (400); a signed one it cannot read is an unreadable event, stored and acknowledged.
   */
  read(request: WebhookRequest, secret: string, nowMs: number): ProcessorEvent<Name>[] | RefusedWebhook;
  /** How to answer a delivery that was read: the body the processor counts as "delivered". */
  readonly acknowledge: { contentType: string; body: string };
}

export interface WebhookRequest {
  /** The body exactly as sent: signatures are over these bytes. */
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/** Any registered connector, for code that walks the registry (its own types are in index.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = Connector<string, TProperties, any, any, Acquirer>;

/** A query or form field as one string; a repeated or missing field is absent, never an array. */
export function fieldText(fields: Fields | undefined, name: string): string | undefined {
  const value = fields?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Why a processor's webhook secret is required in production: without it, the processor's
 * asynchronous outcomes (a 3-D Secure step finished later, a refund, an answer lost in a timeout)
 * are never learnt.
 */
export const webhookSecretRequired = (secretVariable: string, keyVariable: string) =>
  `${secretVariable} is required when ${keyVariable} is set in production: without it the gateway cannot verify the processor's webhooks and never learns of an asynchronous outcome`;
