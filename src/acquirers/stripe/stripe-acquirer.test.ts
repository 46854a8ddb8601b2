import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import { startFakeStripe, type FakeStripe } from './test-server.ts';
import type { Acquirer, AuthorizeRequest, StoredAuthorizeRequest } from '../acquirer.ts';
import { readStoredCardToken } from './stored-card-token.ts';
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

  it('like Stripe, the local Stripe refuses an on-session confirm without a return_url (automatic payment methods), and payment_method_types', async () => {
    const post = (fields: Record<string, string>) =>
      fetch(`${stripe.url}/v1/payment_intents`, { method: 'POST', headers: { authorization: 'Bearer sk_test_fake', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const sale = { amount: '999', currency: 'usd', confirm: 'true', 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': '4242424242424242', 'payment_method_data[card][exp_month]': '12', 'payment_method_data[card][exp_year]': '2040' };
    const noReturn = await post(sale);
    expect(noReturn.status).toBe(400);
    expect(await noReturn.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'return_url' } });
    const cardsOnly = await post({ ...sale, return_url: 'http://127.0.0.1:9/checkout/return', 'payment_method_types[0]': 'card' });
    expect(await cardsOnly.json()).toMatchObject({ error: { code: 'payment_method_types_no_longer_supported' } });
    expect((await post({ ...sale, return_url: 'http://127.0.0.1:9/checkout/return' })).status).toBe(200);
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

  describe('cards on file', () => {
    const customerReference = 'M100-cus_42';
    /** A sale that saves the card, approved (after 3-D Secure when the card wants it): its token. */
    async function savedCard(number: string) {
      const sale = { ...saleFor(number), saveFor: { customerReference } };
      let result = await acquirer.authorize(sale);
      if (result.outcome === 'challenge' && result.redirect) {
        await fetch(result.redirect.url, { method: 'POST', body: new URLSearchParams({ outcome: 'complete' }), redirect: 'manual' });
        result = await acquirer.completeChallenge(result.challengeId, result.challengeId);
      }
      if (result.outcome !== 'approved' || !result.storedCard) throw new Error(`expected an approval that saved the card, got ${JSON.stringify(result)}`);
      return { sale, result, storedCard: { token: result.storedCard.token, customerReference } };
    }
    const storedSale = (storedCard: StoredAuthorizeRequest['storedCard'], initiator: 'customer' | 'merchant'): StoredAuthorizeRequest => ({
      idempotencyKey: `att_stored${process.pid}x${++sequence}`,
      amount: cents(999),
      currency: 'USD',
      storedCard,
      initiator,
      reason: 'RECURRING',
      returnUrl: 'http://127.0.0.1:9/checkout/return',
    });

    it('a sale that saves the card makes a Customer for our customer and attaches the card to it; the token holds both, the expiry is the card\'s', async () => {
      const { sale, result } = await savedCard('4242 4242 4242 4242');
      const card = readStoredCardToken(result.storedCard!.token)!;
      expect(result.storedCard).toMatchObject({ expiryMonth: 12, expiryYear: 2040 });
      const [customer] = stripe.received('/v1/customers').filter((call) => call.idempotencyKey === `${sale.idempotencyKey}-customer`);
      expect(customer!.form).toEqual({ metadata: { payrail_customer: customerReference } });
      expect(stripe.intentFor(sale.idempotencyKey)).toMatchObject({ customer: card.customer, setup_future_usage: 'off_session', payment_method: card.paymentMethod });
      expect(stripe.paymentMethod(card.paymentMethod)).toMatchObject({ customer: card.customer, card: { last4: '4242', exp_month: 12, exp_year: 2040 } });
      expect(JSON.stringify(stripe.paymentMethod(card.paymentMethod))).not.toContain('4242424242424242');
    });

    it('a sale that saves the card, sent again with its key, reuses its Customer, answers the same card and charges once', async () => {
      const { sale, result } = await savedCard('4242 4242 4242 4242');
      expect(await acquirer.authorize(sale)).toEqual(result);
      // The Customer is made, its answer lost: no sale was sent, and the retry finds that Customer.
      const again = { ...sale, idempotencyKey: `att_stripe${process.pid}x${++sequence}` };
      stripe.faults.hangNext();
      expect(await acquirer.authorize(again)).toMatchObject({ outcome: 'unknown' });
      expect(await acquirer.queryAuthorization(again.idempotencyKey)).toEqual({ outcome: 'not_found' });
      const retried = await acquirer.authorize(again);
      expect(retried).toMatchObject({ outcome: 'approved', storedCard: { token: expect.stringMatching(/^cus_\w+\/pm_\w+$/), expiryMonth: 12, expiryYear: 2040 } });
      // The reconciler's query reads the same card.
      expect(await acquirer.queryAuthorization(again.idempotencyKey)).toEqual(retried);
      const customerCalls = stripe.received('/v1/customers').filter((call) => call.idempotencyKey === `${again.idempotencyKey}-customer`);
      expect(customerCalls).toHaveLength(2);
      expect(readStoredCardToken((retried as { storedCard: { token: string } }).storedCard.token)!.customer).toBe(stripe.intentFor(again.idempotencyKey)!.customer);
      expect(stripe.charges(sale.idempotencyKey)).toBe(1);
      expect(stripe.charges(again.idempotencyKey)).toBe(1);
    });

    it('a merchant-initiated sale of the saved card is off-session, with its Customer and PaymentMethod: approved', async () => {
      const { storedCard } = await savedCard('5555 5555 5555 4444');
      const card = readStoredCardToken(storedCard.token)!;
      const sale = storedSale(storedCard, 'merchant');
      const result = await acquirer.authorizeStored!(sale);
      expect(result).toEqual({ outcome: 'approved', reference: stripe.intentFor(sale.idempotencyKey)!.id });
      const [call] = stripe.received('/v1/payment_intents').filter((c) => c.idempotencyKey === sale.idempotencyKey);
      expect(call!.form).toMatchObject({ customer: card.customer, payment_method: card.paymentMethod, off_session: 'true', confirm: 'true', amount: '999', currency: 'usd' });
      // No return_url: off_session=true is what Stripe (and the local Stripe) confirms without one.
      expect(call!.form).not.toHaveProperty('return_url');
      expect(call!.form).not.toHaveProperty('setup_future_usage');
      // The same key again is Stripe's saved answer: charged once.
      expect(await acquirer.authorizeStored!(sale)).toEqual(result);
      expect(stripe.charges(sale.idempotencyKey)).toBe(1);
    });

    it('the card that wants authentication: off-session it is AUTHENTICATION_REQUIRED; on the page, a 3-D Secure redirect that then pays', async () => {
      const { storedCard } = await savedCard('4000 0027 6000 3184');
      const merchant = storedSale(storedCard, 'merchant');
      expect(await acquirer.authorizeStored!(merchant)).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
      expect(await acquirer.queryAuthorization(merchant.idempotencyKey)).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });

      const present = storedSale(storedCard, 'customer');
      const challenge = await acquirer.authorizeStored!(present);
      if (challenge.outcome !== 'challenge' || !challenge.redirect) throw new Error(`expected a redirect challenge, got ${challenge.outcome}`);
      const [call] = stripe.received('/v1/payment_intents').filter((c) => c.idempotencyKey === present.idempotencyKey);
      expect(call!.form).not.toHaveProperty('off_session');
      expect(call!.form.return_url).toBe(present.returnUrl);
      await fetch(challenge.redirect.url, { method: 'POST', body: new URLSearchParams({ outcome: 'complete' }), redirect: 'manual' });
      const paid = await acquirer.completeChallenge(challenge.challengeId, challenge.challengeId);
      expect(paid).toEqual({ outcome: 'approved', reference: challenge.challengeId });
    });

    it('a saved card whose issuer stops paying is declined; an unreadable token is refused without a call', async () => {
      const { storedCard } = await savedCard('4242 4242 4242 4242');
      stripe.declineSales(readStoredCardToken(storedCard.token)!.paymentMethod);
      expect(await acquirer.authorizeStored!(storedSale(storedCard, 'merchant'))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
      const calls = stripe.received().length;
      expect(await acquirer.authorizeStored!(storedSale({ token: 'pm_only', customerReference }, 'merchant'))).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
      expect(stripe.received()).toHaveLength(calls);
    });

    it('deleting detaches the PaymentMethod; detached already or gone counts as deleted; it charges nothing afterwards', async () => {
      const { storedCard } = await savedCard('4242 4242 4242 4242');
      const card = readStoredCardToken(storedCard.token)!;
      expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
      expect(stripe.received(`/v1/payment_methods/${card.paymentMethod}/detach`)).toHaveLength(1);
      expect(stripe.paymentMethod(card.paymentMethod)).toMatchObject({ customer: null });
      expect(await acquirer.deleteStoredCard!(storedCard)).toEqual({ outcome: 'deleted' });
      expect(await acquirer.deleteStoredCard!({ token: `${card.customer}/pm_gone`, customerReference })).toEqual({ outcome: 'deleted' });
      expect(await acquirer.authorizeStored!(storedSale(storedCard, 'merchant'))).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
      stripe.faults.failNext(500);
      expect(await acquirer.deleteStoredCard!(storedCard)).toMatchObject({ outcome: 'unknown' });
    });
  });
});
