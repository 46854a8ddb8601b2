import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import type { AuthorizeRequest, StoredAuthorizeRequest } from '../acquirer.ts';
import { createSimulatorAcquirer } from './simulator.ts';

const now = Date.parse('2025-11-25T12:00:00Z');
let sequence = 0;
const freshKey = () => `attempt-${++sequence}`;

/** A request as the gateway builds it: from the card form, through validateCard. */
const requestFor = (number: string, overrides: { holder?: string; expiry?: string; amount?: number; key?: string } = {}): AuthorizeRequest => {
  const validation = validateCard(
    { number, expiry: overrides.expiry ?? '12/30', cvc: '123', holder: overrides.holder ?? 'Ada Lovelace' },
    new Date(now),
  );
  if (!validation.ok) throw new Error(`test card refused by the page: ${JSON.stringify(validation.errors)}`);
  return { idempotencyKey: overrides.key ?? freshKey(), amount: cents(overrides.amount ?? 30000), currency: 'USD', card: validation.card };
};

const simulator = () => createSimulatorAcquirer({ clock: () => now, timeoutDelayMs: 5 });

describe('the test cards of docs/api.md', () => {
  it.each([['4242 4242 4242 4242'], ['5555 5555 5555 4444'], ['2223 0031 2200 3222']])('%s is approved and charged once', async (number) => {
    const acquirer = simulator();
    const request = requestFor(number);
    const result = await acquirer.authorize(request);
    expect(result).toMatchObject({ outcome: 'approved', reference: expect.stringMatching(/^sim_/) });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it.each([
    ['4000 0000 0000 0002', 'DO_NOT_HONOR'],
    ['4000 0000 0000 9995', 'INSUFFICIENT_FUNDS'],
    ['4000 0000 0000 0069', 'EXPIRED_CARD'],
    ['4000 0000 0000 0127', 'INCORRECT_CVC'],
  ])('%s is declined with %s and not charged', async (number, reason) => {
    const acquirer = simulator();
    const request = requestFor(number);
    expect(await acquirer.authorize(request)).toEqual({ outcome: 'declined', reason });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(0);
  });

  it('4000 0000 0000 0119 is a retryable PROCESSING_ERROR and not charged', async () => {
    const acquirer = simulator();
    const request = requestFor('4000 0000 0000 0119');
    expect(await acquirer.authorize(request)).toEqual({ outcome: 'error', reason: 'PROCESSING_ERROR', retryable: true });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(0);
  });

  it.each([['4000 0000 0000 3220'], ['5200 0000 0000 2151']])('%s asks for 3-D Secure; code 123456 approves it', async (number) => {
    const acquirer = simulator();
    const request = requestFor(number);
    const first = await acquirer.authorize(request);
    expect(first).toMatchObject({ outcome: 'challenge' });
    if (first.outcome !== 'challenge') return;
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(0);
    expect(await acquirer.completeChallenge(first.challengeId, '123456')).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
  });

  it.each([['4000 0000 0000 3220'], ['5200 0000 0000 2151']])('%s fails 3-D Secure with any other code', async (number) => {
    const acquirer = simulator();
    const request = requestFor(number);
    const first = await acquirer.authorize(request);
    if (first.outcome !== 'challenge') throw new Error('expected a challenge');
    expect(await acquirer.completeChallenge(first.challengeId, '654321')).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' });
    // The first completion decides: the right code afterwards changes nothing.
    expect(await acquirer.completeChallenge(first.challengeId, '123456')).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(0);
  });

  it('4000 0000 0000 3063 charges, answers unknown after the delay, and the query finds it approved', async () => {
    const acquirer = createSimulatorAcquirer({ clock: () => now, timeoutDelayMs: 30 });
    const request = requestFor('4000 0000 0000 3063');
    const started = performance.now();
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'unknown' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toMatchObject({ outcome: 'approved' });
    // Sending it again does not charge again.
    expect(await acquirer.authorize(request)).toMatchObject({ outcome: 'unknown' });
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('name on card DECLINED turns any approved card into DO_NOT_HONOR', async () => {
    const acquirer = simulator();
    for (const number of ['4242 4242 4242 4242', '5555 5555 5555 4444', '2223 0031 2200 3222']) {
      expect(await acquirer.authorize(requestFor(number, { holder: 'DECLINED' }))).toEqual({ outcome: 'declined', reason: 'DO_NOT_HONOR' });
    }
    expect(await acquirer.authorize(requestFor('5555 5555 5555 4444', { holder: 'declined' }))).toMatchObject({ outcome: 'declined' });
  });

  it('approves a valid card that is not in the table', async () => {
    expect(await simulator().authorize(requestFor('4111 1111 1111 1111'))).toMatchObject({ outcome: 'approved' });
  });

  it('declines a card whose expiry has passed by its own clock', async () => {
    const request = requestFor('4242 4242 4242 4242', { expiry: '11/25' });
    const later = createSimulatorAcquirer({ clock: () => Date.parse('2026-01-01T00:00:00Z') });
    expect(await later.authorize(request)).toEqual({ outcome: 'declined', reason: 'EXPIRED_CARD' });
  });

  it('refuses a card the page should have refused (Amex, Luhn failure) without recording it', async () => {
    const acquirer = simulator();
    const request = requestFor('4242 4242 4242 4242');
    for (const pan of ['378282246310005', '4242424242424241']) {
      const forged = { ...request, card: { ...request.card, number: { reveal: () => pan } as never } };
      expect(await acquirer.authorize(forged)).toEqual({ outcome: 'error', reason: 'INVALID_CARD', retryable: false });
    }
    expect(await acquirer.queryAuthorization(request.idempotencyKey)).toEqual({ outcome: 'not_found' });
  });
});

describe('cards on file', () => {
  const saved = async (acquirer: ReturnType<typeof simulator>) => {
    const approved = await acquirer.authorize({ ...requestFor('4242 4242 4242 4242'), saveFor: { customerReference: 'm1-cus-1' } });
    if (approved.outcome !== 'approved' || !approved.storedCard) throw new Error(`expected a saved card, got ${JSON.stringify(approved)}`);
    return approved.storedCard.token;
  };
  const stored = (token: string, initiator: 'customer' | 'merchant', key = freshKey()): StoredAuthorizeRequest => ({
    idempotencyKey: key,
    amount: cents(999),
    currency: 'USD',
    storedCard: { token, customerReference: 'm1-cus-1' },
    initiator,
    ...(initiator === 'merchant' ? { reason: 'UNSCHEDULED' as const } : {}),
  });

  it('refuses a merchant-initiated sale without a reason, as acquirer-sim does, and charges nothing', async () => {
    const acquirer = simulator();
    const { reason: _reason, ...noReason } = stored(await saved(acquirer), 'merchant');
    expect(await acquirer.authorizeStored(noReason)).toEqual({ outcome: 'error', reason: 'INVALID_REQUEST', retryable: false });
    expect(await acquirer.chargeCount(noReason.idempotencyKey)).toBe(0);
  });

  it('answers a repeated key with its first result even after the card was deleted, and refuses a new sale with it', async () => {
    const acquirer = simulator();
    const token = await saved(acquirer);
    const charge = stored(token, 'merchant');
    const first = await acquirer.authorizeStored(charge);
    expect(first).toMatchObject({ outcome: 'approved' });
    expect(await acquirer.deleteStoredCard({ token, customerReference: 'm1-cus-1' })).toEqual({ outcome: 'deleted' });
    expect(await acquirer.authorizeStored(charge)).toEqual(first);
    expect(await acquirer.chargeCount(charge.idempotencyKey)).toBe(1);
    expect(await acquirer.authorizeStored({ ...charge, amount: cents(1000) })).toEqual({ outcome: 'error', reason: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(await acquirer.authorizeStored(stored(token, 'merchant'))).toEqual({ outcome: 'error', reason: 'INVALID_CARD', retryable: false });
  });
});

describe('3-D Secure done beforehand', () => {
  it('an authenticated result skips the challenge', async () => {
    const request = { ...requestFor('4000 0000 0000 3220'), threeDS: { status: 'authenticated', authenticationId: 'a1' } as const };
    expect(await simulator().authorize(request)).toMatchObject({ outcome: 'approved' });
  });

  it('a failed result declines with AUTHENTICATION_FAILED', async () => {
    const request = { ...requestFor('5200 0000 0000 2151'), threeDS: { status: 'failed', authenticationId: 'a2' } as const };
    expect(await simulator().authorize(request)).toEqual({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' });
  });

  it('an unknown challenge is an error, not a decline', async () => {
    expect(await simulator().completeChallenge('nope', '123456')).toEqual({ outcome: 'error', reason: 'CHALLENGE_NOT_FOUND', retryable: false });
  });
});

describe('idempotency', () => {
  it('authorising twice with the same key answers the first result and charges once', async () => {
    const acquirer = simulator();
    const request = requestFor('4242 4242 4242 4242');
    const first = await acquirer.authorize(request);
    const second = await acquirer.authorize(request);
    expect(second).toEqual(first);
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('a challenge completed twice, even at once, charges once', async () => {
    const acquirer = simulator();
    const request = requestFor('4000 0000 0000 3220');
    const first = await acquirer.authorize(request);
    if (first.outcome !== 'challenge') throw new Error('expected a challenge');
    const [a, b] = await Promise.all([acquirer.completeChallenge(first.challengeId, '123456'), acquirer.completeChallenge(first.challengeId, '123456')]);
    expect(a).toEqual(b);
    expect(await acquirer.authorize(request)).toEqual(a);
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('the same key for another amount or card is refused and charges nothing more', async () => {
    const acquirer = simulator();
    const request = requestFor('4242 4242 4242 4242');
    await acquirer.authorize(request);
    const reused = { outcome: 'error', reason: 'IDEMPOTENCY_KEY_REUSED', retryable: false };
    expect(await acquirer.authorize({ ...request, amount: cents(1) })).toEqual(reused);
    expect(await acquirer.authorize(requestFor('5555 5555 5555 4444', { key: request.idempotencyKey }))).toEqual(reused);
    expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
  });

  it('however many concurrent calls share a key, that key is charged exactly once', async () => {
    const cards = ['4242 4242 4242 4242', '5555 5555 5555 4444', '2223 0031 2200 3222', '4000 0000 0000 3063'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cards), fc.integer({ min: 1, max: 20 }), async (number, calls) => {
        const acquirer = simulator();
        const request = requestFor(number);
        const results = await Promise.all(Array.from({ length: calls }, () => acquirer.authorize(request)));
        expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
        expect(await acquirer.chargeCount(request.idempotencyKey)).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('an unknown key is not_found', async () => {
    expect(await simulator().queryAuthorization('never-sent')).toEqual({ outcome: 'not_found' });
  });
});

describe('refunds', () => {
  const paid = async () => {
    const acquirer = simulator();
    const result = await acquirer.authorize(requestFor('4242 4242 4242 4242', { amount: 10000 }));
    if (result.outcome !== 'approved') throw new Error('expected approval');
    return { acquirer, reference: result.reference };
  };

  it('gives back part, then the rest, and no more', async () => {
    const { acquirer, reference } = await paid();
    expect(await acquirer.refund({ idempotencyKey: 'r1', reference, amount: cents(4000) })).toMatchObject({ outcome: 'succeeded' });
    expect(await acquirer.refund({ idempotencyKey: 'r2', reference, amount: cents(6001) })).toEqual({ outcome: 'failed', reason: 'AMOUNT_EXCEEDS_REFUNDABLE' });
    expect(await acquirer.refund({ idempotencyKey: 'r3', reference, amount: cents(6000) })).toMatchObject({ outcome: 'succeeded' });
    expect(await acquirer.refund({ idempotencyKey: 'r4', reference, amount: cents(1) })).toEqual({ outcome: 'failed', reason: 'AMOUNT_EXCEEDS_REFUNDABLE' });
  });

  it('the same key answers the first result; racing refunds never give back more than was charged', async () => {
    const { acquirer, reference } = await paid();
    const first = await acquirer.refund({ idempotencyKey: 'r1', reference, amount: cents(7000) });
    expect(await acquirer.refund({ idempotencyKey: 'r1', reference, amount: cents(7000) })).toEqual(first);
    expect(await acquirer.queryRefund('r1')).toEqual(first);
    const racing = await Promise.all(
      ['a', 'b', 'c'].map((key) => acquirer.refund({ idempotencyKey: key, reference, amount: cents(2000) })),
    );
    expect(racing.filter((result) => result.outcome === 'succeeded')).toHaveLength(1);
  });

  it('refuses an unknown sale, a reused key and a zero amount', async () => {
    const { acquirer, reference } = await paid();
    expect(await acquirer.refund({ idempotencyKey: 'x', reference: 'sim_nope', amount: cents(1) })).toEqual({ outcome: 'failed', reason: 'CHARGE_NOT_FOUND' });
    await acquirer.refund({ idempotencyKey: 'y', reference, amount: cents(100) });
    expect(await acquirer.refund({ idempotencyKey: 'y', reference, amount: cents(200) })).toEqual({ outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await acquirer.refund({ idempotencyKey: 'z', reference, amount: cents(0) })).toEqual({ outcome: 'failed', reason: 'INVALID_REQUEST' });
    expect(await acquirer.queryRefund('never')).toEqual({ outcome: 'not_found' });
  });
});
