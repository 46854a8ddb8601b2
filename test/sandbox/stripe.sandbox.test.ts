/**
 * Against Stripe's real test mode. Runs only with STRIPE_TEST_SECRET_KEY set (an `sk_test_…` key
 * of an account allowed to send raw card numbers); otherwise each test is reported skipped by
 * name. Not part of `npm test`: run with `npm run test:sandbox` (docs/acquirers.md).
 */
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../src/domain/card.ts';
import { cents } from '../../src/domain/money.ts';
import { createStripeAcquirer } from '../../src/acquirers/stripe/stripe-acquirer.ts';
import { until } from '../support/until.ts';

const key = process.env.STRIPE_TEST_SECRET_KEY;
const sale = (number: string) => {
  const checked = validateCard({ number, expiry: '12/34', cvc: '123', holder: 'Sandbox Test' }, new Date());
  if (!checked.ok) throw new Error('bad test card');
  return { idempotencyKey: `att_sandbox${Date.now()}${Math.floor(Math.random() * 1e6)}`, amount: cents(1234), currency: 'USD', card: checked.card, returnUrl: 'https://example.com/checkout/return' };
};

describe.skipIf(!key)('Stripe sandbox (STRIPE_TEST_SECRET_KEY)', () => {
  // Built only when the key is there: the describe body runs even when its tests are skipped.
  const acquirer = key ? createStripeAcquirer({ secretKey: key, timeoutMs: 20_000 }) : (undefined as never);

  it('approves 4242 4242 4242 4242, finds it by our key, and refunds part of it', async () => {
    const request = sale('4242 4242 4242 4242');
    const approved = await acquirer.authorize(request);
    expect(approved).toMatchObject({ outcome: 'approved' });
    if (approved.outcome !== 'approved') return;
    // Search is eventually consistent (up to about a minute).
    const found = await until(
      async () => {
        const answer = await acquirer.queryAuthorization(request.idempotencyKey);
        return answer.outcome === 'not_found' ? undefined : answer;
      },
      60_000,
      5_000,
      'the payment found by our key',
    );
    expect(found).toEqual(approved);
    expect(await acquirer.refund({ idempotencyKey: `${request.idempotencyKey}r`, reference: approved.reference, amount: cents(234) })).toMatchObject({ outcome: 'succeeded' });
  }, 120_000);

  it.each([
    ['4000 0000 0000 0002', 'DO_NOT_HONOR'],
    ['4000 0000 0000 9995', 'INSUFFICIENT_FUNDS'],
    ['4000 0000 0000 0069', 'EXPIRED_CARD'],
    ['4000 0000 0000 0127', 'INCORRECT_CVC'],
  ])('declines %s as %s', async (number, reason) => {
    expect(await acquirer.authorize(sale(number))).toEqual({ outcome: 'declined', reason });
  });

  it('asks for 3-D Secure by redirect on 4000 0000 0000 3220', async () => {
    expect(await acquirer.authorize(sale('4000 0000 0000 3220'))).toMatchObject({ outcome: 'challenge', redirect: { method: 'GET' } });
  });

  it('saves 4242 4242 4242 4242 on a Customer, charges it off-session, detaches it (twice: still deleted)', async () => {
    const customerReference = `sandbox-${Date.now()}`;
    const saved = await acquirer.authorize({ ...sale('4242 4242 4242 4242'), saveFor: { customerReference } });
    expect(saved).toMatchObject({ outcome: 'approved', storedCard: { token: expect.stringMatching(/^cus_\w+\/pm_\w+$/), expiryMonth: 12, expiryYear: 2034 } });
    if (saved.outcome !== 'approved' || !saved.storedCard) return;
    const storedCard = { token: saved.storedCard.token, customerReference };
    const stored = { idempotencyKey: `att_sandbox${Date.now()}m`, amount: cents(999), currency: 'USD', storedCard, initiator: 'merchant' as const, reason: 'RECURRING' as const };
    expect(await acquirer.authorizeStored!(stored)).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
    expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
  }, 60_000);
});
