import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkNumber, isExpired, last4 } from '../../domain/card.ts';
import {
  unknown,
  type Acquirer,
  type AcquirerError,
  type AuthorizationQueryResult,
  type AuthorizationResult,
  type AuthorizeRequest,
  type PayoutQueryResult,
  type PayoutRequest,
  type PayoutResult,
  type RefundQueryResult,
  type RefundRequest,
  type RefundResult,
} from '../acquirer.ts';
import { createMemorySimulatorStore } from './memory-store.ts';
import type { AuthorizationRecord, RefundRecord, SimulatorStore } from './store.ts';
import { CHALLENGE_PASS_CODE, behaviourOf, payoutBehaviourOf, type CardBehaviour } from './test-cards.ts';

export interface SimulatorOptions {
  /** Where charges are kept; in memory unless given (e.g. one shared by several gateway nodes). */
  store?: SimulatorStore;
  /** How long the "times out" card keeps the caller waiting before `unknown`. Default 100 ms. */
  timeoutDelayMs?: number;
  /** Milliseconds since the epoch; decides whether a card has expired. */
  clock?: () => number;
}

/** The built-in test acquirer: the test-card table (docs/api.md, "Test cards"), in process. */
export interface SimulatorAcquirer extends Acquirer {
  readonly name: 'simulator';
  readonly store: SimulatorStore;
  /** How many times money was actually taken under this key (0 or 1, or there is a bug). */
  chargeCount(idempotencyKey: string): Promise<number>;
  /** How many times money was actually sent to a card under this key (0 or 1, or there is a bug). */
  payoutCount(idempotencyKey: string): Promise<number>;
}

const DEFAULT_TIMEOUT_DELAY_MS = 100;

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const refuse = (reason: AcquirerError['reason'], retryable = false): AcquirerError => ({ outcome: 'error', reason, retryable });

/** The first answer the simulated acquirer gives for a card, before any challenge. */
function decide(behaviour: CardBehaviour, request: AuthorizeRequest): AuthorizationRecord['result'] {
  switch (behaviour.kind) {
    case 'approve':
      return { outcome: 'approved', reference: newId('sim'), ...(behaviour.dispute ? { disputeAfter: behaviour.dispute } : {}) };
    case 'timeout':
      return { outcome: 'approved', reference: newId('sim') };
    case 'decline':
      return { outcome: 'declined', reason: behaviour.reason };
    case 'processing-error':
      return refuse('PROCESSING_ERROR', true);
    case 'challenge':
      if (request.threeDS?.status === 'authenticated') return { outcome: 'approved', reference: newId('sim') };
      if (request.threeDS?.status === 'failed') return { outcome: 'declined', reason: 'AUTHENTICATION_FAILED' };
      return { outcome: 'challenge', challengeId: newId('sim_3ds') };
  }
}

/** A request the acquirer would not even look at; it is not recorded against the key. */
function malformed(request: AuthorizeRequest): AcquirerError | undefined {
  if (request.idempotencyKey === '') return refuse('INVALID_REQUEST');
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) return refuse('INVALID_REQUEST');
  if (!/^[A-Z]{3}$/.test(request.currency)) return refuse('INVALID_REQUEST');
  if (!checkNumber(request.card.number.reveal()).ok) return refuse('INVALID_CARD');
  return undefined;
}

const sameRequest = (record: AuthorizationRecord, request: AuthorizeRequest) =>
  record.amount === request.amount && record.currency === request.currency && record.last4 === last4(request.card.number);

export function createSimulatorAcquirer(options: SimulatorOptions = {}): SimulatorAcquirer {
  const clock = options.clock ?? Date.now;
  const store = options.store ?? createMemorySimulatorStore(clock);
  const timeoutDelayMs = options.timeoutDelayMs ?? DEFAULT_TIMEOUT_DELAY_MS;

  return {
    name: 'simulator',
    paysOut: true,
    store,

    async authorize(request): Promise<AuthorizationResult> {
      const refused = malformed(request);
      if (refused) return refused;
      const pan = request.card.number.reveal();
      const expired = isExpired(request.card.expiry, new Date(clock()));
      const behaviour: CardBehaviour = expired
        ? { kind: 'decline', reason: 'EXPIRED_CARD' }
        : behaviourOf(pan, request.card.holder);

      const { record, created } = await store.authorizeOnce(request.idempotencyKey, () => ({
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        currency: request.currency,
        last4: last4(pan),
        result: decide(behaviour, request),
        createdAt: clock(),
      }));
      if (!created && !sameRequest(record, request)) return refuse('IDEMPOTENCY_KEY_REUSED');

      if (behaviour.kind === 'timeout') {
        // The charge above is made; the answer is what gets lost, every time this card is sent.
        await sleep(timeoutDelayMs);
        return unknown(`simulated acquirer timeout after ${timeoutDelayMs} ms`);
      }
      return record.result;
    },

    async completeChallenge(challengeId, code): Promise<AuthorizationResult> {
      const record = await store.findByChallenge(challengeId);
      if (!record) return refuse('CHALLENGE_NOT_FOUND');
      if (record.result.outcome !== 'challenge') return record.result;
      const result =
        code === CHALLENGE_PASS_CODE
          ? ({ outcome: 'approved', reference: newId('sim') } as const)
          : ({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' } as const);
      const settled = await store.settleChallenge(record.idempotencyKey, challengeId, result);
      return settled.result;
    },

    async queryAuthorization(idempotencyKey): Promise<AuthorizationQueryResult> {
      const record = await store.findAuthorization(idempotencyKey);
      return record ? record.result : { outcome: 'not_found' };
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      if (request.idempotencyKey === '' || !Number.isSafeInteger(request.amount) || request.amount <= 0) {
        return { outcome: 'failed', reason: 'INVALID_REQUEST' };
      }
      const { record, created } = await store.refundOnce(request.idempotencyKey, request.reference, (charge, refunded) => {
        const result: RefundRecord['result'] = !charge
          ? { outcome: 'failed', reason: 'CHARGE_NOT_FOUND' }
          : refunded + request.amount > charge.amount
            ? { outcome: 'failed', reason: 'AMOUNT_EXCEEDS_REFUNDABLE' }
            : { outcome: 'succeeded', reference: newId('sim_re') };
        return { idempotencyKey: request.idempotencyKey, reference: request.reference, amount: request.amount, result, createdAt: clock() };
      });
      if (!created && (record.reference !== request.reference || record.amount !== request.amount)) {
        return { outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' };
      }
      return record.result;
    },

    async queryRefund(idempotencyKey): Promise<RefundQueryResult> {
      const record = await store.findRefund(idempotencyKey);
      return record ? record.result : { outcome: 'not_found' };
    },

    async payout(request: PayoutRequest): Promise<PayoutResult> {
      if (request.idempotencyKey === '' || !Number.isSafeInteger(request.amount) || request.amount <= 0 || !/^[A-Z]{3}$/.test(request.currency)) {
        return { outcome: 'failed', reason: 'INVALID_REQUEST' };
      }
      const pan = request.cardNumber.reveal();
      if (!checkNumber(pan).ok) return { outcome: 'failed', reason: 'INVALID_CARD' };
      const behaviour = payoutBehaviourOf(pan);
      const { record, created } = await store.payoutOnce(request.idempotencyKey, () => ({
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        currency: request.currency,
        last4: last4(pan),
        result: behaviour.kind === 'fail' ? { outcome: 'failed', reason: behaviour.reason } : { outcome: 'paid', reference: newId('sim_po') },
        createdAt: clock(),
      }));
      const same = record.amount === request.amount && record.currency === request.currency && record.last4 === last4(pan);
      if (!created && !same) return { outcome: 'failed', reason: 'IDEMPOTENCY_KEY_REUSED' };
      if (behaviour.kind === 'timeout') {
        // The payout above is made; the answer is what gets lost, every time this card is sent.
        await sleep(timeoutDelayMs);
        return unknown(`simulated acquirer timeout after ${timeoutDelayMs} ms`);
      }
      return record.result;
    },

    async queryPayout(idempotencyKey): Promise<PayoutQueryResult> {
      const record = await store.findPayout(idempotencyKey);
      return record ? record.result : { outcome: 'not_found' };
    },

    chargeCount: (idempotencyKey) => store.chargeCount(idempotencyKey),

    payoutCount: (idempotencyKey) => store.payoutCount(idempotencyKey),

    async close() {},
  };
}
