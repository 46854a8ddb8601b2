import type { Config } from './config.ts';
import type { GatewayContext } from './context.ts';
import { acquirersNamedByMerchants } from './store/merchants.ts';
import { CONNECTORS, connectorNamed, type ProcessorName } from './acquirers/index.ts';
import type { AnyConnector } from './acquirers/connector.ts';

/** What `payrail start` says about acquirers: which are in use, and whether each processor can hear its webhooks. */
export interface AcquirersInUse {
  /** ACQUIRER: every merchant without a list of its own. */
  default: string;
  /** Every connector some merchant's list names, in name order. */
  namedByMerchants: string[];
  /** Named by a merchant but not configured on this gateway: those merchants use the default instead. */
  notConfigured: string[];
  /** For each processor configured: whether its webhook secret is set (its connector names the variable). */
  webhookSecrets: { [P in ProcessorName]?: 'set' | 'not set' };
}

/** Pure: the configuration and the names merchants' lists hold. */
export function acquirersInUse(config: Config, namedByMerchants: readonly string[]): AcquirersInUse {
  const configured = new Set(Object.keys(config.connectors));
  const named = [...new Set(namedByMerchants)].sort();
  const webhookSecrets: Record<string, 'set' | 'not set'> = {};
  for (const connector of CONNECTORS as readonly AnyConnector[]) {
    const settings: unknown = (config.connectors as Record<string, unknown>)[connector.name];
    if (connector.webhook && settings !== undefined) webhookSecrets[connector.name] = connector.webhook.secret(settings) ? 'set' : 'not set';
  }
  return {
    default: config.acquirer,
    namedByMerchants: named,
    notConfigured: named.filter((name) => !configured.has(name)),
    webhookSecrets,
  };
}

/**
 * `payrail start` says which acquirers are in use and, per processor, whether its webhook secret
 * is set (never the secret); a processor without one, or a merchant's acquirer this gateway
 * lacks, is a warning. (In production a processor without its webhook secret does not start:
 * config.ts.)
 */
export async function logAcquirersInUse(context: Pick<GatewayContext, 'config' | 'db' | 'log'>): Promise<AcquirersInUse> {
  const inUse = acquirersInUse(context.config, await acquirersNamedByMerchants(context.db));
  context.log.info(inUse, 'acquirers in use');
  for (const [processor, state] of Object.entries(inUse.webhookSecrets)) {
    if (state === 'not set') {
      const variable = connectorNamed(processor)?.webhook?.secretVariable;
      context.log.warn({ acquirer: processor }, `${variable} is not set: ${processor} webhooks are refused, so the gateway does not hear of asynchronous outcomes (a 3-D Secure step finished later, a refund) from them`);
    }
  }
  if (inUse.notConfigured.length > 0) {
    context.log.warn({ acquirers: inUse.notConfigured }, 'merchants name acquirers this gateway does not have configured; their payments go to the default');
  }
  return inUse;
}
