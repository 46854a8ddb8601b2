import type { Config } from '../config.ts';
import { connectorNamed, type ConnectorSettings } from '../acquirers/index.ts';

/** The connectors' settings, which say whether each processor is in live or test mode (never shown). */
export type ProcessorModes = ConnectorSettings;

export const processorModes = (config: Config): ProcessorModes => config.connectors;

/**
 * Where an operator looks a payment up at its processor (e.g. the Stripe PaymentIntent or the
 * Adyen pspReference in that processor's own dashboard, test or live): the connector says
 * (`paymentUrl`). Undefined for connectors without a dashboard of theirs (the simulator, http).
 */
export function processorPaymentUrl(acquirer: string, reference: string, modes: ProcessorModes): string | undefined {
  return connectorNamed(acquirer)?.paymentUrl?.(encodeURIComponent(reference), (modes as Record<string, unknown>)[acquirer]);
}
