import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Whether this processor event was stored before (a duplicate delivery). */
export async function eventSeen(db: Kysely<Database>, acquirer: 'stripe' | 'adyen', eventId: string): Promise<boolean> {
  const row = await db.selectFrom('acquirer_events').select('event_id').where('acquirer', '=', acquirer).where('event_id', '=', eventId).executeTakeFirst();
  return row !== undefined;
}

/** Stores a processor event once; answers false when it was already there. */
export async function storeEvent(db: Kysely<Database>, event: { acquirer: 'stripe' | 'adyen'; id: string; type: string; reference: string | null }): Promise<boolean> {
  const inserted = await db
    .insertInto('acquirer_events')
    .values({ acquirer: event.acquirer, event_id: event.id, type: event.type, reference: event.reference })
    .onConflict((conflict) => conflict.columns(['acquirer', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
