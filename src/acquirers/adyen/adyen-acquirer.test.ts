import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import { localAdyenForSuite } from './test-server.ts';
import type { AuthorizeRequest } from '../acquirer.ts';
import { createAdyenAcquirer } from './adyen-acquirer.ts';
import { readAdyenNotification, signItem } from './read-notification.ts';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
let sequence = 0;
const saleFor = (number: string, holder = 'Ada Lovelace'): AuthorizeRequest => {
  const validation = validateCard({ number, expiry: '03/30', cvc: '737', holder }, new Date());
  if (!validation.ok) throw new Error('test card refused by the page');
  return {
    idempotencyKey: `att_adyen${process.pid}x${++sequence}`,
    amount: cents(30000),
    currency: 'USD',
    card: validation.card,
    returnUrl: 'http://127.0.0.1:9/checkout/return?data=x',
    shopperIp: '203.0.113.7',
    browser: { userAgent: 'test', acceptHeader: 'text/html', language: 'en', colorDepth: 24, screenHeight: 800, screenWidth: 1200, timeZoneOffset: 0, javaEnabled: false },
  };
};

describe('the Adyen connector against a local Adyen Checkout API', () => {
  const local = localAdyenForSuite();

  it('Authorised is approved with the pspReference; the request carries a four-digit year, browserInfo and shopperIP', async () => {
    const sale = saleFor('4111 1111 4555 1142');
    const result = await local.acquirer.authorize(sale);
    const payment = local.adyen.payment(sale.idempotencyKey)!;
    expect(result).toEqual({ outcome: 'approved', reference: payment.pspReference });
    expect(payment.request).toMatchObject({
      reference: sale.idempotencyKey,
      amount: { value: 30000, currency: 'USD' },
      paymentMethod: { type: 'scheme', expiryMonth: '03', expiryYear: '2030' },
      shopperIP: '203.0.113.7',
      browserInfo: { userAgent: 'test', colorDepth: 24 },
    });
  });

  it.each([
    ['DECLINED', 'DO_NOT_HONOR'],
    ['NOT_ENOUGH_BALANCE', 'INSUFFICIENT_FUNDS'],
    ['CARD_EXPIRED', 'EXPIRED_CARD'],
    ['CVC_DECLINED', 'INCORRECT_CVC'],
  ])('Refused for holder %s is declined: %s', async (holder, reason) => {
    expect(await local.acquirer.authorize(saleFor('4111 1111 4555 1142', holder))).toEqual({ outcome: 'declined', reason });
  });

  it('resultCode Error is a retryable error; a 503 too; a 500 is unknown; a refused connection is a retryable error', async () => {
    expect(await local.acquirer.authorize(saleFor('4111 1111 4555 1142', 'ERROR'))).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
    local.adyen.faults.failNext(503);
    expect(await local.acquirer.authorize(saleFor('4111 1111 4555 1142'))).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
    local.adyen.faults.failNext(500);
    expect(await local.acquirer.authorize(saleFor('4111 1111 4555 1142'))).toEqual({ outcome: 'unknown', detail: 'Adyen answered HTTP 500' });
    const nowhere = createAdyenAcquirer({ apiKey: 'k', merchantAccount: 'PayrailECOM', checkoutUrl: 'http://127.0.0.1:9/v71', timeoutMs: 500 });
    expect(await nowhere.authorize(saleFor('4111 1111 4555 1142'))).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
    await nowhere.close();
  });

  it('RedirectShopper is a redirect challenge; the redirectResult finishes it at /payments/details', async () => {
    for (const [password, expected] of [['password', { outcome: 'approved' }], ['wrong', { outcome: 'declined', reason: 'AUTHENTICATION_FAILED' }]] as const) {
      const sale = saleFor('4917 6100 0000 0000');
      const challenge = await local.acquirer.authorize(sale);
      if (challenge.outcome !== 'challenge' || !challenge.redirect) throw new Error(`expected a redirect, got ${challenge.outcome}`);
      expect(challenge.challengeId).toBe(sale.idempotencyKey);
      const redirectResult = (await local.adyen.authenticate(sale.idempotencyKey, password)).searchParams.get('redirectResult')!;
      expect(await local.acquirer.completeChallenge(challenge.challengeId, redirectResult)).toMatchObject(expected);
    }
  });

  it('a timeout is unknown; Adyen has no query, so the query stays unknown; a retry with the key answers the first result', async () => {
    const sale = saleFor('4111 1111 4555 1142');
    local.adyen.faults.hangNext();
    expect(await local.acquirer.authorize(sale)).toMatchObject({ outcome: 'unknown' });
    expect(await local.acquirer.queryAuthorization(sale.idempotencyKey)).toMatchObject({ outcome: 'unknown' });
    expect(await local.acquirer.authorize(sale)).toMatchObject({ outcome: 'approved' });
    expect(local.adyen.authorisations(sale.idempotencyKey)).toBe(1);
    expect(await local.acquirer.cancelByReference!(sale.idempotencyKey)).toEqual({ outcome: 'cancelled' });
    expect(local.adyen.payment(sale.idempotencyKey)?.cancelled).toBe(true);
  });

  it('refunds are received (settled by webhook), or refused for an unknown payment', async () => {
    const sale = await local.acquirer.authorize(saleFor('4111 1111 4555 1142'));
    if (sale.outcome !== 'approved') throw new Error('expected approval');
    expect(await local.acquirer.refund({ idempotencyKey: 'rf_a1', reference: sale.reference, amount: cents(100), currency: 'USD' })).toMatchObject({ outcome: 'unknown', detail: expect.stringContaining('REFUND webhook') });
    expect(await local.acquirer.refund({ idempotencyKey: 'rf_a2', reference: 'NOPE', amount: cents(100), currency: 'USD' })).toEqual({ outcome: 'failed', reason: 'CHARGE_NOT_FOUND' });
  });

  it('a wrong API key is unauthorised', async () => {
    const wrong = createAdyenAcquirer({ apiKey: 'nope', merchantAccount: 'PayrailECOM', checkoutUrl: local.adyen.checkoutUrl });
    expect(await wrong.authorize(saleFor('4111 1111 4555 1142'))).toEqual({ outcome: 'error', reason: 'UNAUTHORIZED', retryable: false });
    await wrong.close();
  });
});

describe('Adyen webhook items', () => {
  const item = { pspReference: 'PSP1', merchantReference: 'att_1', merchantAccountCode: 'PayrailECOM', amount: { value: 100, currency: 'USD' }, eventCode: 'AUTHORISATION', success: 'true' };
  const batch = (signedWith: string, change: Record<string, unknown> = {}) => {
    const signed = JSON.parse(JSON.stringify({ notificationItems: [{ NotificationRequestItem: { ...item } }] }));
    signed.notificationItems[0].NotificationRequestItem.additionalData = { hmacSignature: signItem(item, signedWith) };
    Object.assign(signed.notificationItems[0].NotificationRequestItem, change);
    return signed;
  };
  it('a correctly signed AUTHORISATION approves the attempt it names', () => {
    expect(readAdyenNotification(batch(HMAC_KEY), HMAC_KEY)).toEqual([
      { acquirer: 'adyen', id: 'PSP1:AUTHORISATION:true', type: 'AUTHORISATION', settles: { kind: 'attempt', attemptId: 'att_1', answer: { outcome: 'approved', reference: 'PSP1' }, says: { payment: 'PSP1', amount: 100, currency: 'USD' } } },
    ]);
  });
  it('any change to a signed field, or another key, is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom('pspReference', 'merchantReference', 'eventCode', 'success'), fc.string({ minLength: 1, maxLength: 8 }), (name, value) => {
        fc.pre(value !== (item as Record<string, unknown>)[name]);
        expect(readAdyenNotification(batch(HMAC_KEY, { [name]: value }), HMAC_KEY)).toHaveProperty('refused');
      }),
    );
    expect(readAdyenNotification(batch('00'.repeat(32)), HMAC_KEY)).toHaveProperty('refused');
    expect(readAdyenNotification({ notificationItems: [] }, HMAC_KEY)).toHaveProperty('refused');
    expect(readAdyenNotification('garbage', HMAC_KEY)).toHaveProperty('refused');
  });
});
