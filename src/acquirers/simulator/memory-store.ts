import { cents, type Cents } from '../../domain/money.ts';
import type { Approved, Declined } from '../acquirer.ts';
import type { AuthorizationRecord, ChargeRecord, Kept, PayoutRecord, RefundRecord, SimulatorStore, TokenRecord } from './store.ts';

/**
 * The simulator's store in process memory. Each method runs to completion without awaiting,
 * so on Node's single thread it is atomic, as the interface asks.
 */
export function createMemorySimulatorStore(clock: () => number = Date.now): SimulatorStore {
  const authorizations = new Map<string, AuthorizationRecord>();
  const keyByChallenge = new Map<string, string>();
  const refunds = new Map<string, RefundRecord>();
  const payouts = new Map<string, PayoutRecord>();
  const tokens = new Map<string, TokenRecord>();
  const ledger: ChargeRecord[] = [];

  const charge = (record: AuthorizationRecord) => {
    if (record.result.outcome !== 'approved') return;
    ledger.push({
      idempotencyKey: record.idempotencyKey,
      reference: record.result.reference,
      amount: record.amount,
      currency: record.currency,
      chargedAt: clock(),
    });
  };

  const refundedAgainst = (reference: string): Cents =>
    cents(
      [...refunds.values()]
        .filter((refund) => refund.reference === reference && refund.result.outcome === 'succeeded')
        .reduce((sum, refund) => sum + refund.amount, 0),
    );

  return {
    async authorizeOnce(idempotencyKey, decide): Promise<Kept<AuthorizationRecord>> {
      const existing = authorizations.get(idempotencyKey);
      if (existing) return { record: existing, created: false };
      const record = decide();
      authorizations.set(idempotencyKey, record);
      if (record.result.outcome === 'challenge') keyByChallenge.set(record.result.challengeId, idempotencyKey);
      charge(record);
      return { record, created: true };
    },

    async findAuthorization(idempotencyKey) {
      return authorizations.get(idempotencyKey);
    },

    async findByChallenge(challengeId) {
      const key = keyByChallenge.get(challengeId);
      return key === undefined ? undefined : authorizations.get(key);
    },

    async settleChallenge(idempotencyKey, challengeId, result: Approved | Declined) {
      const record = authorizations.get(idempotencyKey);
      if (!record) throw new Error(`no authorisation for key ${idempotencyKey}`);
      if (record.result.outcome !== 'challenge' || record.result.challengeId !== challengeId) return record;
      const settled = { ...record, result };
      authorizations.set(idempotencyKey, settled);
      charge(settled);
      return settled;
    },

    async refundOnce(idempotencyKey, reference, decide): Promise<Kept<RefundRecord>> {
      const existing = refunds.get(idempotencyKey);
      if (existing) return { record: existing, created: false };
      const sale = ledger.find((entry) => entry.reference === reference);
      const record = decide(sale, refundedAgainst(reference));
      refunds.set(idempotencyKey, record);
      return { record, created: true };
    },

    async findRefund(idempotencyKey) {
      return refunds.get(idempotencyKey);
    },

    async payoutOnce(idempotencyKey, decide): Promise<Kept<PayoutRecord>> {
      const existing = payouts.get(idempotencyKey);
      if (existing) return { record: existing, created: false };
      const record = decide();
      payouts.set(idempotencyKey, record);
      return { record, created: true };
    },

    async findPayout(idempotencyKey) {
      return payouts.get(idempotencyKey);
    },

    async payoutCount(idempotencyKey) {
      return payouts.get(idempotencyKey)?.result.outcome === 'paid' ? 1 : 0;
    },

    async chargeCount(idempotencyKey) {
      return ledger.filter((entry) => entry.idempotencyKey === idempotencyKey).length;
    },

    async charges() {
      return [...ledger];
    },

    async keepToken(record) {
      if (!tokens.has(record.token)) tokens.set(record.token, record);
    },

    async findToken(token) {
      return tokens.get(token);
    },

    async deleteToken(token) {
      const record = tokens.get(token);
      if (!record) return false;
      tokens.set(token, { ...record, deleted: true });
      return true;
    },
  };
}
