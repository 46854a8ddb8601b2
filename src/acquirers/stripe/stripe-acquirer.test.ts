import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import { startFakeStripe, type FakeStripe } from './test-server.ts';
import type { Acquirer, AuthorizeRequest } from '../acquirer.ts';
import { createStripeAcquirer } from './stripe-acquirer.ts';

let sequence = 0;
const saleFor = (number: string): AuthorizeRequest => {
  const validation = validateCard({ number, expiry: '12/40', cvc: '123', holder: 'Ada Lovelace' }, new Date());
  if (!validation.ok) throw new Error('test card refused by the page');
  return { idempotencyKey: `att_stripe${process.pid}x${++sequence}`, amount: cents(30000), currency: 'USD', card: validation.card, returnUrl: 'http://127.0.0.1:9/checkout/return' };
};

describe('the Stripe connector, through the official SDK, against a local Stripe', () => {
  let stripe: FakeStripe;
  let acquirer: Acquirer;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    acquirer = createStripeAcquirer({ secretKey: 'sk_test_fake', apiUrl: stripe.url, timeoutMs: 1_000 });
  });
  afterAll(async () => {
    await acquirer.close();
    await stripe.close();
  });

  it('a succeeded PaymentIntent is approved, with the intent as reference and our key as metadata', async () => {
    const sale = saleFor('4242 4242 4242 4242');
    const result = await acquirer.authorize(sale);
    const intent = stripe.intentFor(sale.idempotencyKey);
    expect(result).toEqual({ outcome: 'approved', reference: intent?.id });
    expect(intent).toMatchObject({ amount: 30000, currency: 'usd' });
  });

  it.each([
    ['4000 0000 0000 0002', 'DO_NOT_HONOR'],
    ['4000 0000 0000 9995', 'INSUFFICIENT_FUNDS'],
    ['4000 0000 0000 0069', 'EXPIRED_CARD'],
    ['4000 0000 0000 0127', 'INCORRECT_CVC'],
  ])('card %s is declined: %s', async (number, reason) => {
    expect(await acquirer.authorize(saleFor(number))).toEqual({ outcome: 'declined', reason });
  });

  it('a processing error is a retryable error, not a decline', async () => {
    expect(await acquirer.authorize(saleFor('4000 0000 0000 0119'))).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
  });

  it('3-D Secure: a redirect challenge; after the browser passes, the intent is approved, after it fails, declined', async () => {
    for (const [button, expected] of [['complete', { outcome: 'approved' }], ['fail', { outcome: 'declined', reason: 'AUTHENTICATION_FAILED' }]] as const) {
      const sale = saleFor('4000 0000 0000 3220');
      const challenge = await acquirer.authorize(sale);
      if (challenge.outcome !== 'challenge' || !challenge.redirect) throw new Error(`expected a redirect challenge, got ${challenge.outcome}`);
      expect(challenge.redirect).toMatchObject({ method: 'GET', url: `${stripe.url}/3ds/${challenge.challengeId}` });
      const back = await fetch(challenge.redirect.url, { method: 'POST', body: new URLSearchParams({ outcome: button }), redirect: 'manual' });
      const returned = new URL(back.headers.get('location')!);
      expect(returned.searchParams.get('payment_intent')).toBe(challenge.challengeId);
      expect(await acquirer.completeChallenge(challenge.challengeId, returned.searchParams.get('payment_intent')!)).toMatchObject(expected);
    }
  });

  it('a timeout is unknown; the query by our key then finds the charge, made once', async () => {
    const sale = saleFor('4242 4242 4242 4242');
    stripe.faults.hangNext();
    expect(await acquirer.authorize(sale)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryAuthorization(sale.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    // The same key again is answered from Stripe's saved response, not charged again.
    expect(await acquirer.authorize(sale)).toMatchObject({ outcome: 'approved' });
    expect(stripe.charges(sale.idempotencyKey)).toBe(1);
  });

  it('a 5xx is unknown, never success nor a failover; a query for a key never sent is not_found', async () => {
    stripe.faults.failNext(500);
    expect(await acquirer.authorize(saleFor('4242 4242 4242 4242'))).toEqual({ outcome: 'unknown', detail: 'Stripe answered HTTP 500' });
    expect(await acquirer.queryAuthorization('att_never_sent')).toEqual({ outcome: 'not_found' });
    stripe.faults.failNext(503);
    expect(await acquirer.queryAuthorization('att_never_sent')).toMatchObject({ outcome: 'unknown' });
  });

  it('the same key with other parameters is refused as reused, and nothing is charged', async () => {
    const sale = saleFor('4242 4242 4242 4242');
    await acquirer.authorize(sale);
    expect(await acquirer.authorize({ ...sale, amount: cents(1) })).toEqual({ outcome: 'error', reason: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(stripe.charges(sale.idempotencyKey)).toBe(1);
  });

  it('a wrong secret key is an unauthorised error', async () => {
    const wrong = createStripeAcquirer({ secretKey: 'sk_test_wrong', apiUrl: stripe.url });
    expect(await wrong.authorize(saleFor('4242 4242 4242 4242'))).toEqual({ outcome: 'error', reason: 'UNAUTHORIZED', retryable: false });
  });

  it('refunds: success, found again by key and sale; more than is left fails; an unknown sale fails', async () => {
    const sale = await acquirer.authorize(saleFor('4242 4242 4242 4242'));
    if (sale.outcome !== 'approved') throw new Error('expected approval');
    stripe.faults.hangNext();
    expect(await acquirer.refund({ idempotencyKey: 'rf_one', reference: sale.reference, amount: cents(10000) })).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.queryRefund('rf_one', sale.reference)).toMatchObject({ outcome: 'succeeded' });
    expect(await acquirer.queryRefund('rf_other', sale.reference)).toEqual({ outcome: 'not_found' });
    expect(await acquirer.refund({ idempotencyKey: 'rf_two', reference: sale.reference, amount: cents(20001) })).toEqual({ outcome: 'failed', reason: 'AMOUNT_EXCEEDS_REFUNDABLE' });
    expect(await acquirer.refund({ idempotencyKey: 'rf_three', reference: 'pi_nothing', amount: cents(1) })).toEqual({ outcome: 'failed', reason: 'CHARGE_NOT_FOUND' });
  });
});
