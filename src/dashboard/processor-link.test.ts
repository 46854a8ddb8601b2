import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { processorPaymentUrl } from './processor-link.ts';

const adyen = { ADYEN_API_KEY: 'key', ADYEN_MERCHANT_ACCOUNT: 'M' };
const notConfigured = loadConfig({}).connectors;

describe('processorPaymentUrl', () => {
  it('links a Stripe PaymentIntent and an Adyen pspReference to their dashboards, test or live', () => {
    const test = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', ...adyen }).connectors;
    const live = loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', ...adyen, ADYEN_CHECKOUT_URL: 'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71' }).connectors;
    expect(processorPaymentUrl('stripe', 'pi_3Abc', test)).toBe('https://dashboard.stripe.com/test/payments/pi_3Abc');
    expect(processorPaymentUrl('stripe', 'pi_3Abc', live)).toBe('https://dashboard.stripe.com/payments/pi_3Abc');
    expect(processorPaymentUrl('adyen', 'QFQTPCQ8HXSKGK82', test)).toBe('https://ca-test.adyen.com/ca/ca/accounts/showTx.shtml?pspReference=QFQTPCQ8HXSKGK82&txType=Payment');
    expect(processorPaymentUrl('adyen', 'QFQTPCQ8HXSKGK82', live)).toMatch(/^https:\/\/ca-live\.adyen\.com\//);
  });

  it('links nothing for acquirers without a dashboard, and escapes what it puts in a URL', () => {
    expect(processorPaymentUrl('simulator', 'sim_1', notConfigured)).toBeUndefined();
    expect(processorPaymentUrl('http', 'x', notConfigured)).toBeUndefined();
    expect(processorPaymentUrl('stripe', 'pi_1/../x?y', notConfigured)).toBe('https://dashboard.stripe.com/test/payments/pi_1%2F..%2Fx%3Fy');
  });
});
