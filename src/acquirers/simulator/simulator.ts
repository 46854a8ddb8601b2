import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkNumber, isExpired, last4 } from '../../domain/card.ts';
import {
  unknown,
  type Acquirer,
  type AcquirerError,
  type AuthorizationQueryResult,
  type AuthorizationResult,
  type Approved,
  type AuthorizeRequest,
  type StoredAuthorizeRequest,
  type PayoutQueryResult,
  type PayoutRequest,
  type PayoutResult,
  type RefundQueryResult,
  type RefundRequest,
  type RefundResult,
} from '../acquirer.ts';
import { createMemorySimulatorStore } from './memory-store.ts';
import type { AuthorizationRecord, RefundRecord, SaveRequest, SimulatorStore, TokenRecord } from './store.ts';
import { CHALLENGE_PASS_CODE, behaviourOf, merchantInitiatedBehaviourOf, payoutBehaviourOf, type CardBehaviour } from './test-cards.ts';

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
  /** It saves cards (docs/api.md, "Cards on file"): these two are always there. */
  authorizeStored: NonNullable<Acquirer['authorizeStored']>;
  deleteStoredCard: NonNullable<Acquirer['deleteStoredCard']>;
  /** How many times money was actually taken under this key (0 or 1, or there is a bug). */
  chargeCount(idempotencyKey: string): Promise<number>;
  /** How many times money was actually sent to a card under this key (0 or 1, or there is a bug). */
  payoutCount(idempotencyKey: string): Promise<number>;
}

const DEFAULT_TIMEOUT_DELAY_MS = 100;

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const refuse = (reason: AcquirerError['reason'], retryable = false): AcquirerError => ({ outcome: 'error', reason, retryable });

/**
 * A merchant-initiated stored-card sale must say why (its stored-credential indicator): refused
 * before anything is done, by the simulator (INVALID_REQUEST) and by acquirer-sim (HTTP 400).
 */
export const lacksMerchantReason = (request: Pick<StoredAuthorizeRequest, 'initiator' | 'reason'>): boolean => request.initiator === 'merchant' && !request.reason;

/** The first answer the simulated acquirer gives for a card, before any challenge. */
function decide(behaviour: CardBehaviour, request: AuthorizeRequest, save: SaveRequest | undefined): AuthorizationRecord['result'] {
  switch (behaviour.kind) {
    case 'approve':
      return { ...approval(save), ...(behaviour.dispute ? { disputeAfter: behaviour.dispute } : {}) };
    case 'timeout':
      return approval(save);
    case 'decline':
      return { outcome: 'declined', reason: behaviour.reason };
    case 'processing-error':
      return refuse('PROCESSING_ERROR', true);
    case 'challenge':
      if (request.threeDS?.status === 'authenticated') return approval(save);
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

const sameRequest = (record: AuthorizationRecord, request: { amount: number; currency: string }, cardLast4: string) =>
  record.amount === request.amount && record.currency === request.currency && record.last4 === cardLast4;

/** An approval that saves the card when asked: the token goes with the approval, so a repeated call answers the same one. */
const approval = (save: SaveRequest | undefined): Approved =>
  save
    ? { outcome: 'approved', reference: newId('sim'), storedCard: { token: newId('sim_tok'), expiryMonth: save.expiryMonth, expiryYear: save.expiryYear } }
    : { outcome: 'approved', reference: newId('sim') };

/** The saved card an approval carries, as the simulator keeps it. */
function tokenOf(record: AuthorizationRecord): TokenRecord | undefined {
  const { result, save } = record;
  if (result.outcome !== 'approved' || !result.storedCard || !save) return undefined;
  return { token: result.storedCard.token, customerReference: save.customerReference, last4: record.last4, expiryMonth: save.expiryMonth,
    expiryYear: save.expiryYear, merchantInitiated: save.merchantInitiated, deleted: false };
}

/** What a stored-card sale answers: the saved card's expiry, then (merchant-initiated) the card's table row. */
function decideStored(token: TokenRecord, request: StoredAuthorizeRequest, now: Date): AuthorizationRecord['result'] {
  if (isExpired({ month: token.expiryMonth, year: token.expiryYear }, now)) return { outcome: 'declined', reason: 'EXPIRED_CARD' };
  if (request.initiator === 'merchant' && token.merchantInitiated !== 'approve') return { outcome: 'declined', reason: token.merchantInitiated };
  return approval(undefined);
}

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
      const save: SaveRequest | undefined = request.saveFor && {
        customerReference: request.saveFor.customerReference,
        expiryMonth: request.card.expiry.month,
        expiryYear: request.card.expiry.year,
        merchantInitiated: merchantInitiatedBehaviourOf(pan),
      };

      const { record, created } = await store.authorizeOnce(request.idempotencyKey, () => ({
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        currency: request.currency,
        last4: last4(pan),
        result: decide(behaviour, request, save),
        ...(save ? { save } : {}),
        createdAt: clock(),
      }));
      if (!created && !sameRequest(record, request, last4(pan))) return refuse('IDEMPOTENCY_KEY_REUSED');
      const saved = tokenOf(record);
      if (saved) await store.keepToken(saved);

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
      const result = code === CHALLENGE_PASS_CODE ? approval(record.save) : ({ outcome: 'declined', reason: 'AUTHENTICATION_FAILED' } as const);
      const settled = await store.settleChallenge(record.idempotencyKey, challengeId, result);
      const saved = tokenOf(settled);
      if (saved) await store.keepToken(saved);
      return settled.result;
    },

    async authorizeStored(request): Promise<AuthorizationResult> {
      if (request.idempotencyKey === '' || !Number.isSafeInteger(request.amount) || request.amount <= 0 || !/^[A-Z]{3}$/.test(request.currency) || lacksMerchantReason(request)) {
        return refuse('INVALID_REQUEST');
      }
      const token = await store.findToken(request.storedCard.token);
      if (!token || token.customerReference !== request.storedCard.customerReference) return refuse('INVALID_CARD');
      // A key already used answers its first result, even when the card was deleted since: money may have moved.
      const existing = await store.findAuthorization(request.idempotencyKey);
      if (existing) return sameRequest(existing, request, token.last4) ? existing.result : refuse('IDEMPOTENCY_KEY_REUSED');
      if (token.deleted) return refuse('INVALID_CARD');
      const { record, created } = await store.authorizeOnce(request.idempotencyKey, () => ({
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        currency: request.currency,
        last4: token.last4,
        result: decideStored(token, request, new Date(clock())),
        createdAt: clock(),
      }));
      if (!created && !sameRequest(record, request, token.last4)) return refuse('IDEMPOTENCY_KEY_REUSED');
      return record.result;
    },

    async deleteStoredCard(card) {
      const token = await store.findToken(card.token);
      if (token && token.customerReference === card.customerReference) await store.deleteToken(card.token);
      return { outcome: 'deleted' };
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
