import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Stripe from 'stripe';
import { isDetached, mapAuthorizationError } from './map-error.ts';
import { mapPaymentIntent, storedCardOf } from './map-status.ts';

const intent = (fields: Record<string, unknown>) =>
  ({ id: 'pi_1', object: 'payment_intent', amount: 999, currency: 'usd', metadata: { payrail_attempt: 'att_1' }, customer: null, payment_method: 'pm_1', setup_future_usage: null, ...fields }) as unknown as Stripe.PaymentIntent;
const expandedMethod = { id: 'pm_1', object: 'payment_method', customer: 'cus_1', card: { brand: 'visa', last4: '4242', exp_month: 7, exp_year: 2031 } };
const merchantInitiated = { payrail_attempt: 'att_1', payrail_initiator: 'merchant' };

describe('Stripe answers about cards on file', () => {
  it('a sale that saved the card is approved with a token of its Customer and PaymentMethod, and the card\'s expiry', () => {
    const saved = intent({ status: 'succeeded', customer: 'cus_1', setup_future_usage: 'off_session', payment_method: expandedMethod });
    expect(mapPaymentIntent(saved)).toEqual({ outcome: 'approved', reference: 'pi_1', storedCard: { token: 'cus_1/pm_1', expiryMonth: 7, expiryYear: 2031 } });
    expect(storedCardOf(intent({ status: 'succeeded', customer: { id: 'cus_1' }, payment_method: expandedMethod }))).toMatchObject({ token: 'cus_1/pm_1' });
  });

  it('a sale that saves the card but shows only the PaymentMethod\'s id (a webhook\'s event) is no news: the query settles it with the card', () => {
    expect(mapPaymentIntent(intent({ status: 'succeeded', customer: 'cus_1', setup_future_usage: 'off_session', payment_method: 'pm_1' }))).toMatchObject({ outcome: 'unknown' });
  });

  it('a sale of a saved card is approved with nothing more to save', () => {
    expect(mapPaymentIntent(intent({ status: 'succeeded', customer: 'cus_1', payment_method: expandedMethod, metadata: merchantInitiated }))).toEqual({ outcome: 'approved', reference: 'pi_1' });
  });

  it.each([
    ['an off-session sale that fails with authentication_required', { status: 'requires_payment_method', metadata: merchantInitiated, last_payment_error: { code: 'authentication_required', decline_code: 'authentication_required' } }, 'AUTHENTICATION_REQUIRED'],
    ['a merchant-initiated sale declined with decline_code authentication_required', { status: 'requires_payment_method', metadata: merchantInitiated, last_payment_error: { code: 'card_declined', decline_code: 'authentication_required' } }, 'AUTHENTICATION_REQUIRED'],
    ['a customer on the page whose sale fails with authentication_required', { status: 'requires_payment_method', last_payment_error: { code: 'authentication_required', decline_code: 'authentication_required' } }, 'AUTHENTICATION_FAILED'],
    ['a customer on the page declined with decline_code authentication_required', { status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'authentication_required' } }, 'AUTHENTICATION_FAILED'],
    ['a merchant-initiated sale left asking for an action', { status: 'requires_action', metadata: merchantInitiated, next_action: { type: 'redirect_to_url', redirect_to_url: { url: 'https://hooks.stripe.com/3ds' } } }, 'AUTHENTICATION_REQUIRED'],
  ])('%s is declined %s', (_name, fields, reason) => {
    expect(mapPaymentIntent(intent(fields))).toEqual({ outcome: 'declined', reason });
  });

  it('a merchant-initiated sale is never a challenge, whatever Stripe says of it', () => {
    const statuses = fc.constantFrom('succeeded', 'requires_action', 'requires_payment_method', 'processing', 'canceled', 'requires_capture');
    const actions = fc.option(fc.record({ type: fc.constantFrom('redirect_to_url', 'use_stripe_sdk'), redirect_to_url: fc.record({ url: fc.constantFrom('https://hooks.stripe.com/3ds', '') }) }), { nil: null });
    fc.assert(
      fc.property(statuses, actions, (status, next_action) => {
        expect(mapPaymentIntent(intent({ status, next_action, metadata: merchantInitiated })).outcome).not.toBe('challenge');
      }),
    );
  });

  it('a thrown card error with the code authentication_required and no intent is AUTHENTICATION_REQUIRED for a merchant sale, AUTHENTICATION_FAILED for a customer on the page', () => {
    const thrown = { type: 'StripeCardError', statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' };
    expect(mapAuthorizationError(thrown, true)).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    expect(mapAuthorizationError(thrown)).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' });
  });

  it('a detach Stripe refuses is deleted when the PaymentMethod is gone or attached to no one; otherwise unknown', async () => {
    const refused = { type: 'StripeInvalidRequestError', statusCode: 400 };
    const gone = { type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' };
    const never = () => Promise.reject(new Error('not asked'));
    expect(await isDetached(gone, never)).toEqual({ outcome: 'deleted' });
    expect(await isDetached(refused, async () => ({ customer: null }))).toEqual({ outcome: 'deleted' });
    expect(await isDetached(refused, () => Promise.reject(gone))).toEqual({ outcome: 'deleted' });
    expect(await isDetached(refused, async () => ({ customer: 'cus_1' }))).toMatchObject({ outcome: 'unknown' });
    expect(await isDetached(refused, () => Promise.reject({ type: 'StripeConnectionError' }))).toMatchObject({ outcome: 'unknown' });
    expect(await isDetached({ type: 'StripeAPIError', statusCode: 500 }, never)).toMatchObject({ outcome: 'unknown' });
    expect(await isDetached({ type: 'StripeInvalidRequestError', statusCode: 409 }, never)).toMatchObject({ outcome: 'unknown' });
  });
});
