import { describe, expect, it } from 'vitest';
import { processorPaymentUrl } from './processor-link.ts';

describe('processorPaymentUrl', () => {
  it('links a Stripe PaymentIntent and an Adyen pspReference to their dashboards, test or live', () => {
    const test = { stripeLive: false, adyenLive: false };
    const live = { stripeLive: true, adyenLive: true };
    expect(processorPaymentUrl('stripe', 'pi_3Abc', test)).toBe('https://dashboard.stripe.com/test/payments/pi_3Abc');
    expect(processorPaymentUrl('stripe', 'pi_3Abc', live)).toBe('https://dashboard.stripe.com/payments/pi_3Abc');
    expect(processorPaymentUrl('adyen', 'QFQTPCQ8HXSKGK82', test)).toBe('https://ca-test.adyen.com/ca/ca/accounts/showTx.shtml?pspReference=QFQTPCQ8HXSKGK82&txType=Payment');
    expect(processorPaymentUrl('adyen', 'QFQTPCQ8HXSKGK82', live)).toMatch(/^https:\/\/ca-live\.adyen\.com\//);
  });

  it('links nothing for acquirers without a dashboard, and escapes what it puts in a URL', () => {
    expect(processorPaymentUrl('simulator', 'sim_1', { stripeLive: false, adyenLive: false })).toBeUndefined();
    expect(processorPaymentUrl('http', 'x', { stripeLive: false, adyenLive: false })).toBeUndefined();
    expect(processorPaymentUrl('stripe', 'pi_1/../x?y', { stripeLive: false, adyenLive: false })).toBe('https://dashboard.stripe.com/test/payments/pi_1%2F..%2Fx%3Fy');
  });
});
