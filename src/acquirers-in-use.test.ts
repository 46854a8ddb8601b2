import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { acquirersInUse } from './acquirers-in-use.ts';

describe('acquirersInUse', () => {
  it('names the default, what merchants name, what this gateway lacks, and per processor whether its webhook secret is set', () => {
    const config = loadConfig({ ACQUIRER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abc', ADYEN_API_KEY: 'key', ADYEN_MERCHANT_ACCOUNT: 'M', ADYEN_HMAC_KEY: 'abcd' });
    expect(acquirersInUse(config, ['adyen', 'http', 'adyen', 'simulator'])).toEqual({
      default: 'stripe',
      namedByMerchants: ['adyen', 'http', 'simulator'],
      notConfigured: ['http'],
      webhookSecrets: { stripe: 'not set', adyen: 'set' },
    });
  });

  it('says nothing of processors that are not configured', () => {
    expect(acquirersInUse(loadConfig({}), [])).toEqual({ default: 'simulator', namedByMerchants: [], notConfigured: [], webhookSecrets: {} });
  });

  it('never carries a secret', () => {
    const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_verysecret', STRIPE_WEBHOOK_SECRET: 'whsec_verysecret' });
    expect(JSON.stringify(acquirersInUse(config, ['stripe']))).not.toContain('verysecret');
  });
});
