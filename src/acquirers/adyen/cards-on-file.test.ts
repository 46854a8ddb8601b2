import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import type { AuthorizeRequest, StoredAuthorizeRequest } from '../acquirer.ts';
import { buildDeleteStoredPaymentMethod, buildPayment, buildStoredPayment } from './build-request.ts';
import { declineReasonOf, mapDeleteStored, mapStoredPayment, withStoredCard } from './map-status.ts';
import { localAdyenForSuite } from './test-server.ts';

let sequence = 0;
const key = () => `att_adyencof${process.pid}x${++sequence}`;
const shopper = 'M1000001-cus_1';

/** A card sale that saves the card under `shopper`, or under another reference, or (null) saves nothing. */
const saleFor = (number: string, saveFor: { customerReference: string } | null = { customerReference: shopper }): AuthorizeRequest => {
  const validation = validateCard({ number, expiry: '03/30', cvc: '737', holder: 'Ada Lovelace' }, new Date());
  if (!validation.ok) throw new Error('test card refused by the page');
  return { idempotencyKey: key(), amount: cents(1500), currency: 'USD', card: validation.card, returnUrl: 'http://127.0.0.1:9/checkout/return?data=x', ...(saveFor ? { saveFor } : {}) };
};

const storedSale = (token: string, initiator: StoredAuthorizeRequest['initiator'], reason?: StoredAuthorizeRequest['reason']): StoredAuthorizeRequest => ({
  idempotencyKey: key(),
  amount: cents(999),
  currency: 'USD',
  storedCard: { token, customerReference: shopper },
  initiator,
  reason,
  returnUrl: 'http://127.0.0.1:9/checkout/return?data=y',
  shopperIp: initiator === 'customer' ? '203.0.113.7' : null,
});

describe('Adyen cards on file: the requests', () => {
  it('a sale that saves the card stores it under the shopperReference: the shopper typing it (Ecommerce), card on file', () => {
    const { body } = buildPayment(saleFor('4111111145551142'), 'PayrailECOM');
    expect(body).toMatchObject({ storePaymentMethod: true, shopperReference: shopper, shopperInteraction: 'Ecommerce', recurringProcessingModel: 'CardOnFile' });
    const plain = buildPayment(saleFor('4111111145551142', null), 'PayrailECOM').body!;
    expect(plain.shopperInteraction).toBe('Ecommerce');
    expect(plain).not.toHaveProperty('storePaymentMethod');
    expect(plain).not.toHaveProperty('shopperReference');
    expect(plain).not.toHaveProperty('recurringProcessingModel');
  });

  it.each([
    ['customer', undefined, 'ContAuth', 'CardOnFile'],
    ['merchant', undefined, 'ContAuth', 'UnscheduledCardOnFile'],
    ['merchant', 'UNSCHEDULED', 'ContAuth', 'UnscheduledCardOnFile'],
    ['merchant', 'RECURRING', 'ContAuth', 'Subscription'],
    ['merchant', 'INSTALMENT', 'ContAuth', 'Subscription'],
  ] as const)('a stored sale started by the %s (%s) is %s / %s, with the token and no card number', (initiator, reason, interaction, model) => {
    const call = buildStoredPayment(storedSale('TOKEN1', initiator, reason), 'PayrailECOM');
    expect(call).toMatchObject({ path: '/payments', idempotencyKey: expect.stringMatching(/^att_/) });
    expect(call.body).toMatchObject({
      paymentMethod: { type: 'scheme', storedPaymentMethodId: 'TOKEN1' },
      shopperReference: shopper,
      shopperInteraction: interaction,
      recurringProcessingModel: model,
      captureDelayHours: 0,
      returnUrl: expect.any(String),
    });
    expect(Object.keys(call.body!.paymentMethod as object)).toEqual(['type', 'storedPaymentMethodId']);
  });

  it('deletes a stored card by its id, naming the shopper and the merchant account in the query', () => {
    expect(buildDeleteStoredPaymentMethod({ token: 'AB/1', customerReference: 'M1-c 1' }, 'PayrailECOM')).toEqual({
      method: 'DELETE',
      path: '/storedPaymentMethods/AB%2F1?shopperReference=M1-c+1&merchantAccount=PayrailECOM',
    });
  });
});

describe('Adyen cards on file: the answers', () => {
  const ok = (body: Record<string, unknown>) => ({ status: 200, body });
  const redirect = { resultCode: 'RedirectShopper', merchantReference: 'att_1', action: { type: 'redirect', method: 'GET', url: 'https://issuer.example/3ds' } };

  it('refusal 38 is AUTHENTICATION_REQUIRED with the shopper absent (merchant), AUTHENTICATION_FAILED with the shopper on the page (customer)', () => {
    const refused38 = ok({ resultCode: 'Refused', refusalReasonCode: '38', refusalReason: 'Authentication required' });
    expect(mapStoredPayment(refused38, 'att_1', 'merchant')).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    expect(mapStoredPayment(refused38, 'att_1', 'customer')).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' });
    for (const initiator of ['customer', 'merchant'] as const) {
      expect(mapStoredPayment(ok({ resultCode: 'Refused', refusalReasonCode: '2', refusalReason: 'Refused' }), 'att_1', initiator)).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    }
  });

  it('the shared decline table: 38 (by code, or by the text a webhook carries) is REQUIRED only with the shopper absent', () => {
    expect(declineReasonOf('38', 'Authentication required', true)).toBe('AUTHENTICATION_REQUIRED');
    expect(declineReasonOf(undefined, 'Authentication required', true)).toBe('AUTHENTICATION_REQUIRED');
    expect(declineReasonOf('38', 'Authentication required')).toBe('AUTHENTICATION_FAILED');
    expect(declineReasonOf(undefined, 'Authentication required')).toBe('AUTHENTICATION_FAILED');
    expect(declineReasonOf('12', 'Not enough balance', true)).toBe('INSUFFICIENT_FUNDS');
  });

  it('a merchant-initiated sale asked for the shopper is AUTHENTICATION_REQUIRED; a customer-initiated one follows the redirect', () => {
    for (const resultCode of ['RedirectShopper', 'IdentifyShopper', 'ChallengeShopper']) {
      expect(mapStoredPayment(ok({ ...redirect, resultCode }), 'att_1', 'merchant')).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    }
    expect(mapStoredPayment(ok(redirect), 'att_1', 'customer')).toMatchObject({ outcome: 'challenge', challengeId: 'att_1', redirect: { url: 'https://issuer.example/3ds', method: 'GET' } });
    expect(mapStoredPayment(ok({ resultCode: 'Authorised', pspReference: 'PSP9' }), 'att_1', 'merchant')).toEqual({ outcome: 'approved', reference: 'PSP9' });
    expect(mapStoredPayment({ status: 500, body: {} }, 'att_1', 'merchant')).toMatchObject({ outcome: 'unknown' });
    expect(mapStoredPayment({ status: 422, body: { errorCode: '803' } }, 'att_1', 'merchant')).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
  });

  it('reads the stored token from additionalData (or the older recurring field), with the expiry we sent or Adyen\'s expiryDate', () => {
    const approved = { outcome: 'approved', reference: 'PSP1' } as const;
    expect(withStoredCard(approved, { additionalData: { 'tokenization.storedPaymentMethodId': 'TK1' } }, { month: 3, year: 2030 })).toEqual({ ...approved, storedCard: { token: 'TK1', expiryMonth: 3, expiryYear: 2030 } });
    expect(withStoredCard(approved, { additionalData: { 'recurring.recurringDetailReference': 'TK2', expiryDate: '11/2031' } })).toEqual({ ...approved, storedCard: { token: 'TK2', expiryMonth: 11, expiryYear: 2031 } });
    // Without the expiry, or the token, the sale stands and nothing is saved.
    expect(withStoredCard(approved, { additionalData: { 'tokenization.storedPaymentMethodId': 'TK3' } })).toEqual(approved);
    expect(withStoredCard(approved, { additionalData: { 'tokenization.storedPaymentMethodId': 'TK3', expiryDate: '13/2031' } })).toEqual(approved);
    expect(withStoredCard(approved, { additionalData: { expiryDate: '1/2031' } })).toEqual(approved);
    expect(withStoredCard(approved, { additionalData: 'nope' }, { month: 3, year: 2030 })).toEqual(approved);
    const declined = { outcome: 'declined', reason: 'DO_NOT_HONOR' } as const;
    expect(withStoredCard(declined, { additionalData: { 'tokenization.storedPaymentMethodId': 'TK4' } }, { month: 3, year: 2030 })).toEqual(declined);
  });

  it('any expiryDate Adyen writes (M/YYYY or MM/YYYY) reads back as that month and year; anything else saves nothing (property)', () => {
    const approved = { outcome: 'approved', reference: 'PSP1' } as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), fc.boolean(), (month, year, padded) => {
        const expiryDate = `${padded ? String(month).padStart(2, '0') : month}/${year}`;
        expect(withStoredCard(approved, { additionalData: { 'tokenization.storedPaymentMethodId': 'T', expiryDate } })).toEqual({ ...approved, storedCard: { token: 'T', expiryMonth: month, expiryYear: year } });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (expiryDate) => {
        fc.pre(!/^\s*\d{1,2}\/\d{4}\s*$/.test(expiryDate));
        expect(withStoredCard(approved, { additionalData: { 'tokenization.storedPaymentMethodId': 'T', expiryDate } })).toEqual(approved);
      }),
    );
  });

  it('a delete is done on 204 or 200, and when Adyen no longer has the token (422 or 400 with 800, 803); otherwise unknown, a bare 404 too', () => {
    for (const response of [{ status: 204, body: undefined }, { status: 200, body: {} }, { status: 422, body: { errorCode: '803' } }, { status: 422, body: { errorCode: '800' } }, { status: 400, body: { errorCode: '803' } }]) {
      expect(mapDeleteStored(response)).toEqual({ outcome: 'deleted' });
    }
    for (const response of [{ status: 500, body: {} }, { status: 401, body: {} }, { status: 404, body: undefined }, { status: 404, body: { status: 404, errorCode: '000' } }, { status: 422, body: { errorCode: '130' } }, { status: 503, body: undefined }]) {
      expect(mapDeleteStored(response)).toMatchObject({ outcome: 'unknown', detail: expect.stringContaining(`HTTP ${response.status}`) });
    }
  });
});

describe('Adyen cards on file against a local Adyen Checkout API', () => {
  const local = localAdyenForSuite();

  async function save(number: string) {
    const result = await local.acquirer.authorize(saleFor(number));
    if (result.outcome !== 'approved' || !result.storedCard) throw new Error(`expected an approval that saves the card, got ${JSON.stringify(result)}`);
    return result.storedCard;
  }

  it('saves with the approval: the token Adyen stored, the expiry we sent; the same card again is the same token', async () => {
    const storedCard = await save('4111111145551142');
    expect(storedCard).toEqual({ token: expect.any(String), expiryMonth: 3, expiryYear: 2030 });
    expect(local.adyen.storedMethods(shopper).map((method) => method.id)).toContain(storedCard.token);
    expect((await save('4111111145551142')).token).toBe(storedCard.token);
    // A sale that does not ask to save carries no token, whatever Adyen says.
    expect(await local.acquirer.authorize(saleFor('4111111145551142', null))).toEqual({ outcome: 'approved', reference: expect.any(String) });
  });

  it('charges the stored card, customer- or merchant-initiated, with the indicators; the same key answers the first result once', async () => {
    const { token } = await save('4111111145551142');
    const oneStep = storedSale(token, 'customer');
    expect(await local.acquirer.authorizeStored!(oneStep)).toEqual({ outcome: 'approved', reference: local.adyen.payment(oneStep.idempotencyKey)!.pspReference });
    expect(local.adyen.payment(oneStep.idempotencyKey)!.request).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile', shopperReference: shopper, shopperIP: '203.0.113.7' });

    const subscription = storedSale(token, 'merchant', 'RECURRING');
    const first = await local.acquirer.authorizeStored!(subscription);
    expect(first).toMatchObject({ outcome: 'approved' });
    expect(await local.acquirer.authorizeStored!(subscription)).toEqual(first);
    expect(local.adyen.authorisations(subscription.idempotencyKey)).toBe(1);
    const request = local.adyen.payment(subscription.idempotencyKey)!.request;
    expect(request).toMatchObject({ paymentMethod: { type: 'scheme', storedPaymentMethodId: token }, shopperReference: shopper, shopperInteraction: 'ContAuth', recurringProcessingModel: 'Subscription' });
    expect(request).not.toHaveProperty('shopperIP');
    expect(await local.acquirer.authorizeStored!({ ...subscription, amount: cents(1000) })).toEqual({ outcome: 'unknown', detail: 'Adyen is still processing a request with this key' });
  });

  it('merchant-initiated: the decline card declines; the authentication card and the 3-D Secure card want the customer present', async () => {
    expect(await local.acquirer.authorizeStored!(storedSale((await save('4000000000000341')).token, 'merchant'))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    const authentication = (await save('4000002760003184')).token;
    expect(await local.acquirer.authorizeStored!(storedSale(authentication, 'merchant', 'UNSCHEDULED'))).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    expect(await local.acquirer.authorizeStored!(storedSale(authentication, 'customer'))).toMatchObject({ outcome: 'approved' });

    // The 3-D Secure card is saved through its redirect: the token and Adyen's expiryDate come with /payments/details.
    const sale = saleFor('4917610000000000');
    const challenge = await local.acquirer.authorize(sale);
    if (challenge.outcome !== 'challenge' || !challenge.redirect) throw new Error(`expected a redirect, got ${challenge.outcome}`);
    const redirectResult = (await local.adyen.authenticate(sale.idempotencyKey)).searchParams.get('redirectResult')!;
    const approved = await local.acquirer.completeChallenge(challenge.challengeId, redirectResult);
    expect(approved).toMatchObject({ outcome: 'approved', storedCard: { token: expect.any(String), expiryMonth: 3, expiryYear: 2030 } });
    const threeDS = approved.outcome === 'approved' ? approved.storedCard!.token : '';
    expect(await local.acquirer.authorizeStored!(storedSale(threeDS, 'merchant'))).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_REQUIRED' });
    expect(await local.acquirer.authorizeStored!(storedSale(threeDS, 'customer'))).toMatchObject({ outcome: 'challenge', redirect: { method: 'GET' } });
  });

  it('deletes at Adyen; deleting again is still deleted; the token then charges nothing', async () => {
    const { token } = await save('5555555555554444');
    expect(await local.acquirer.deleteStoredCard!({ token, customerReference: shopper })).toEqual({ outcome: 'deleted' });
    expect(local.adyen.deletions.at(-1)).toEqual({ storedPaymentMethodId: token, shopperReference: shopper, merchantAccount: 'PayrailECOM' });
    expect(local.adyen.storedMethods(shopper).map((method) => method.id)).not.toContain(token);
    expect(await local.acquirer.deleteStoredCard!({ token, customerReference: shopper })).toEqual({ outcome: 'deleted' });
    expect(await local.acquirer.authorizeStored!(storedSale(token, 'merchant'))).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
    local.adyen.faults.failNext(500);
    expect(await local.acquirer.deleteStoredCard!({ token, customerReference: shopper })).toMatchObject({ outcome: 'unknown' });
  });
});
