import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fixedText } from './compiled-once.ts';
import { cents, type Cents } from '../domain/money.ts';
import type { AuthorizationRecord, ChargeRecord, Kept, PayoutRecord, RefundRecord, SimulatorStore, TokenRecord } from '../acquirers/simulator/store.ts';

/**
 * The simulator's store in the gateway's database: every gateway node sees the same simulated
 * acquirer, so a reconciler on one node finds a charge made through another. Each method is
 * one transaction (authorizeOnce one statement); the primary keys make "first answer wins" hold across nodes.
 */
export function createDatabaseSimulatorStore(db: Kysely<Database>): SimulatorStore {
  const charge = async (trx: Transaction<Database>, record: AuthorizationRecord) => {
    if (record.result.outcome !== 'approved') return;
    await trx
      .insertInto('simulator_charges')
      .values({ idempotency_key: record.idempotencyKey, reference: record.result.reference, amount_cents: record.amount, currency: record.currency })
      .execute();
  };
  const findAuthorization = async (key: string) => {
    const row = await db.selectFrom('simulator_authorizations').select('record').where('idempotency_key', '=', key).executeTakeFirst();
    return row?.record as AuthorizationRecord | undefined;
  };
  const toCharge = (row: { idempotency_key: string; reference: string; amount_cents: Cents; currency: string; charged_at: Date }): ChargeRecord => ({
    idempotencyKey: row.idempotency_key,
    reference: row.reference,
    amount: row.amount_cents,
    currency: row.currency,
    chargedAt: row.charged_at.getTime(),
  });

  return {
    // One statement, so one round trip and one commit: the authorisation and, if approved, its
    // charge. Its text is fixed (every value a parameter): prepared (compiled-once.ts, fixedText).
    async authorizeOnce(key, decide): Promise<Kept<AuthorizationRecord>> {
      const record = decide();
      const result = record.result;
      const approved = result.outcome === 'approved';
      const { rows } = await fixedText(db, sql<{ inserted: boolean }>`
        WITH authorization_row AS (
          INSERT INTO simulator_authorizations (idempotency_key, challenge_id, record)
          VALUES (${key}, ${result.outcome === 'challenge' ? result.challengeId : null}, ${JSON.stringify(record)}::jsonb)
          ON CONFLICT (idempotency_key) DO NOTHING
          RETURNING idempotency_key),
        charge AS (
          INSERT INTO simulator_charges (idempotency_key, reference, amount_cents, currency)
          SELECT idempotency_key, ${approved ? result.reference : null}::text, ${record.amount}::bigint, ${record.currency}::text
            FROM authorization_row WHERE ${approved}::boolean)
        SELECT EXISTS (SELECT 1 FROM authorization_row) AS inserted`);
      if (rows[0]?.inserted) return { record, created: true };
      const existing = await findAuthorization(key);
      if (!existing) throw new Error(`no authorisation for key ${key}`);
      return { record: existing, created: false };
    },

    findAuthorization,

    async findByChallenge(challengeId) {
      const row = await db.selectFrom('simulator_authorizations').select('record').where('challenge_id', '=', challengeId).executeTakeFirst();
      return row?.record as AuthorizationRecord | undefined;
    },

    settleChallenge: (key, challengeId, result) =>
      db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('simulator_authorizations').select('record').where('idempotency_key', '=', key).forUpdate().executeTakeFirst();
        if (!row) throw new Error(`no authorisation for key ${key}`);
        const record = row.record as AuthorizationRecord;
        if (record.result.outcome !== 'challenge' || record.result.challengeId !== challengeId) return record;
        const settled: AuthorizationRecord = { ...record, result };
        await trx.updateTable('simulator_authorizations').set({ record: JSON.stringify(settled) }).where('idempotency_key', '=', key).execute();
        await charge(trx, settled);
        return settled;
      }),

    refundOnce: (key, reference, decide) =>
      db.transaction().execute(async (trx): Promise<Kept<RefundRecord>> => {
        // Locking the sale serialises refunds against it, so together they never exceed it.
        const sale = await trx.selectFrom('simulator_charges').selectAll().where('reference', '=', reference).orderBy('id').limit(1).forUpdate().executeTakeFirst();
        const existing = await trx.selectFrom('simulator_refunds').select('record').where('idempotency_key', '=', key).executeTakeFirst();
        if (existing) return { record: existing.record as RefundRecord, created: false };
        const earlier = await trx.selectFrom('simulator_refunds').select('record').where('reference', '=', reference).execute();
        const refunded = earlier
          .map((row) => row.record as RefundRecord)
          .filter((refund) => refund.result.outcome === 'succeeded')
          .reduce((sum, refund) => sum + refund.amount, 0);
        const record = decide(sale ? toCharge(sale) : undefined, cents(refunded));
        await trx.insertInto('simulator_refunds').values({ idempotency_key: key, reference, record: JSON.stringify(record) }).execute();
        return { record, created: true };
      }),

    async findRefund(key) {
      const row = await db.selectFrom('simulator_refunds').select('record').where('idempotency_key', '=', key).executeTakeFirst();
      return row?.record as RefundRecord | undefined;
    },

    async payoutOnce(key, decide): Promise<Kept<PayoutRecord>> {
      const record = decide();
      const inserted = await db
        .insertInto('simulator_payouts')
        .values({ idempotency_key: key, record: JSON.stringify(record), paid: record.result.outcome === 'paid' })
        .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
        .returning('idempotency_key')
        .executeTakeFirst();
      if (inserted) return { record, created: true };
      const existing = await db.selectFrom('simulator_payouts').select('record').where('idempotency_key', '=', key).executeTakeFirstOrThrow();
      return { record: existing.record as PayoutRecord, created: false };
    },

    async findPayout(key) {
      const row = await db.selectFrom('simulator_payouts').select('record').where('idempotency_key', '=', key).executeTakeFirst();
      return row?.record as PayoutRecord | undefined;
    },

    async payoutCount(key) {
      const rows = await db.selectFrom('simulator_payouts').select('idempotency_key').where('idempotency_key', '=', key).where('paid', '=', true).execute();
      return rows.length;
    },

    async chargeCount(key) {
      const rows = await db.selectFrom('simulator_charges').select('id').where('idempotency_key', '=', key).execute();
      return rows.length;
    },

    async charges() {
      return (await db.selectFrom('simulator_charges').selectAll().orderBy('id').execute()).map(toCharge);
    },

    async keepToken(record) {
      await db
        .insertInto('simulator_card_tokens')
        .values({ token: record.token, record: JSON.stringify(record) })
        .onConflict((conflict) => conflict.column('token').doNothing())
        .execute();
    },

    async findToken(token) {
      const row = await db.selectFrom('simulator_card_tokens').select('record').where('token', '=', token).executeTakeFirst();
      return row?.record as TokenRecord | undefined;
    },

    async deleteToken(token) {
      const deleted = await db
        .updateTable('simulator_card_tokens')
        .set({ record: sql`jsonb_set(record, '{deleted}', 'true'::jsonb)` as never })
        .where('token', '=', token)
        .returning('token')
        .executeTakeFirst();
      return deleted !== undefined;
    },
  };
}
