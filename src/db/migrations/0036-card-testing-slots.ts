import { sql, type Kysely } from 'kysely';
import { AttemptStatus, IN_FLIGHT } from '../../domain/attempt-status.ts';
import { CardTestingScope } from '../../domain/card-testing.ts';

/**
 * The card-testing caps' slots (issue 25): a cap of N per card (or client address) is N rows,
 * and an attempt holds one of them while it is in flight and, if declined, until the window
 * ends. An attempt claims a free slot with one statement that skips slots other attempts are
 * claiming (FOR UPDATE SKIP LOCKED), so attempts of one card or one address no longer wait on
 * each other, where the advisory locks they replace were held for the whole transaction.
 *
 * The attempts that count today (declined or in flight, inside the window) are given their slots
 * here, so an upgrade does not reset anyone's count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE card_testing_slots (
      scope smallint NOT NULL,
      key text NOT NULL,
      slot integer NOT NULL,
      attempt_id text,
      busy_until timestamptz NOT NULL,
      PRIMARY KEY (scope, key, slot)
    ) WITH (fillfactor = 70)`.execute(db);
  await sql`COMMENT ON TABLE card_testing_slots IS ${sql.lit('card-testing caps: a slot is busy until busy_until, held by attempt_id (src/store/card-testing-slots.ts)')}`.execute(db);
  const counted = sql.join([AttemptStatus.Declined, ...IN_FLIGHT].map((status) => sql.lit(status)));
  for (const [scope, column, window] of [
    [CardTestingScope.Card, 'card_fingerprint', '24 hours'],
    [CardTestingScope.Address, 'client_ip', '1 hour'],
  ] as const) {
    await sql`
      INSERT INTO card_testing_slots (scope, key, slot, attempt_id, busy_until)
      SELECT ${sql.lit(scope)}, ${sql.ref(column)}, (row_number() OVER (PARTITION BY ${sql.ref(column)} ORDER BY created_at, id) - 1)::int,
             id, created_at + ${sql.lit(window)}::interval
        FROM payment_attempts
       WHERE ${sql.ref(column)} IS NOT NULL AND status IN (${counted}) AND created_at > now() - ${sql.lit(window)}::interval`.execute(db);
  }
}
