import type { Config } from '../config.ts';

/** Whether the processors are in live or test mode, read once from the configuration (never the keys themselves). */
export interface ProcessorModes {
  stripeLive: boolean;
  adyenLive: boolean;
}

export const processorModes = (config: Config): ProcessorModes => ({
  stripeLive: config.stripe !== undefined && /^(sk|rk)_live_/.test(config.stripe.secretKey.reveal()),
  adyenLive: config.adyen !== undefined && !/checkout-test\./.test(config.adyen.checkoutUrl),
});

/**
 * Where an operator looks a payment up at its processor: the Stripe PaymentIntent or the Adyen
 * pspReference in that processor's own dashboard (test or live). Undefined for the simulator and
 * the http acquirer, which have no dashboard of theirs.
 */
export function processorPaymentUrl(acquirer: string, reference: string, modes: ProcessorModes): string | undefined {
  const ref = encodeURIComponent(reference);
  if (acquirer === 'stripe') return `https://dashboard.stripe.com/${modes.stripeLive ? '' : 'test/'}payments/${ref}`;
  if (acquirer === 'adyen') return `https://ca-${modes.adyenLive ? 'live' : 'test'}.adyen.com/ca/ca/accounts/showTx.shtml?pspReference=${ref}&txType=Payment`;
  return undefined;
}
