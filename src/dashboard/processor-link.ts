import { connectorNamed, type ConnectorSettings } from '../acquirers/index.ts';

/**
 * Where an operator looks a payment up at its processor (e.g. the Stripe PaymentIntent or the
 * Adyen pspReference in that processor's own dashboard, test or live): the connector says
 * (`paymentUrl`), from its settings (which say whether it is in live or test mode; never shown).
 * Undefined for connectors without a dashboard of theirs (the simulator, http).
 */
export function processorPaymentUrl(acquirer: string, reference: string, connectors: ConnectorSettings): string | undefined {
  return connectorNamed(acquirer)?.paymentUrl?.(encodeURIComponent(reference), (connectors as Record<string, unknown>)[acquirer]);
}
