/**
 * Against Adyen's test environment. Runs only with ADYEN_TEST_API_KEY and ADYEN_TEST_MERCHANT_ACCOUNT
 * set (an API credential allowed to send raw card data); otherwise each test is reported skipped
 * by name. ADYEN_TEST_CHECKOUT_URL defaults to https://checkout-test.adyen.com/v71. Not part of
 * `npm test`: run with `npm run test:sandbox` (docs/acquirers.md).
 */
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../src/domain/card.ts';
import { cents } from '../../src/domain/money.ts';
import { createAdyenAcquirer } from '../../src/acquirers/adyen/adyen-acquirer.ts';

const apiKey = process.env.ADYEN_TEST_API_KEY;
const merchantAccount = process.env.ADYEN_TEST_MERCHANT_ACCOUNT ?? '';
const sale = (number: string, holder = 'Sandbox Test') => {
  const checked = validateCard({ number, expiry: '03/30', cvc: '737', holder }, new Date());
  if (!checked.ok) throw new Error('bad test card');
  return { idempotencyKey: `att_sandbox${Date.now()}${Math.floor(Math.random() * 1e6)}`, amount: cents(1234), currency: 'USD', card: checked.card, returnUrl: 'https://example.com/checkout/return' };
};

describe.skipIf(!apiKey)('Adyen sandbox (ADYEN_TEST_API_KEY)', () => {
  // Built only when the key is there: the describe body runs even when its tests are skipped.
  const acquirer = apiKey ? createAdyenAcquirer({ apiKey, merchantAccount, checkoutUrl: process.env.ADYEN_TEST_CHECKOUT_URL ?? 'https://checkout-test.adyen.com/v71', timeoutMs: 20_000 }) : (undefined as never);

  it('authorises 4111 1111 4555 1142 and receives a refund for it', async () => {
    const approved = await acquirer.authorize(sale('4111 1111 4555 1142'));
    expect(approved).toMatchObject({ outcome: 'approved' });
    if (approved.outcome !== 'approved') return;
    expect(await acquirer.refund({ idempotencyKey: `rf${Date.now()}`, reference: approved.reference, amount: cents(234), currency: 'USD' })).toMatchObject({ outcome: 'unknown' });
  });

  it.each([
    ['DECLINED', 'DO_NOT_HONOR'],
    ['NOT_ENOUGH_BALANCE', 'INSUFFICIENT_FUNDS'],
    ['CARD_EXPIRED', 'EXPIRED_CARD'],
  ])('refuses holder name %s as %s', async (holder, reason) => {
    expect(await acquirer.authorize(sale('4111 1111 4555 1142', holder))).toEqual({ outcome: 'declined', reason });
  });

  it('saves 4111 1111 4555 1142 under a shopperReference, charges it merchant-initiated (ContAuth), then deletes it', async () => {
    // Needs the recurring (tokenization) details in the payment answers: docs/acquirers.md, Adyen, "Cards on file".
    const customerReference = `sandbox-${Date.now()}`;
    const saved = await acquirer.authorize({ ...sale('4111 1111 4555 1142'), saveFor: { customerReference } });
    expect(saved).toMatchObject({ outcome: 'approved', storedCard: { token: expect.any(String), expiryMonth: 3, expiryYear: 2030 } });
    if (saved.outcome !== 'approved' || !saved.storedCard) return;
    const storedCard = { token: saved.storedCard.token, customerReference };
    const { idempotencyKey } = sale('4111 1111 4555 1142');
    expect(await acquirer.authorizeStored!({ idempotencyKey, amount: cents(999), currency: 'USD', storedCard, initiator: 'merchant', reason: 'RECURRING', returnUrl: 'https://example.com/checkout/return' })).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
    expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
  });

  it('asks for 3-D Secure by redirect on 4917 6100 0000 0000', async () => {
    expect(await acquirer.authorize(sale('4917 6100 0000 0000'))).toMatchObject({ outcome: 'challenge' });
  });
});
