import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Mismatch } from '../domain/event-match.ts';
import type { ProcessorName as Acquirer } from '../acquirers/index.ts';

/** Whether this processor event was stored before (a duplicate delivery). */
export async function eventSeen(db: Kysely<Database>, acquirer: Acquirer, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('acquirer_events').select('event_id').where('acquirer', '=', acquirer).where('event_id', '=', eventId).executeTakeFirst();
  return row !== undefined;
}

export interface StoredEvent {
  acquirer: Acquirer;
  id: string;
  type: string;
  /** The attempt or refund the event named. */
  reference: string | null;
  /** The order of that attempt or refund, when it is one of ours. */
  orderNo?: string | null;
  /** What did not match what we sent; absent when it matched. */
  mismatch?: Mismatch[] | null;
  /** Signed but not understood: why. */
  unreadable?: string | null;
}

/** Stores a processor event once; answers false when it was already there. */
export async function storeEvent(db: Kysely<Database>, event: StoredEvent): Promise<boolean> {
  const inserted = await db
    .insertInto('acquirer_events')
    .values({
      acquirer: event.acquirer,
      event_id: event.id,
      type: event.type,
      reference: event.reference,
      order_no: event.orderNo ?? null,
      mismatch: event.mismatch?.length ? JSON.stringify(event.mismatch) : null,
      unreadable: event.unreadable ?? null,
    })
    .onConflict((conflict) => conflict.columns(['acquirer', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** An order's processor events that did not match the payment or refund we made, oldest first (the console's order page). */
export const listMismatchedEvents = (db: Kysely<Database>, orderNo: string) =>
  db
    .selectFrom('acquirer_events')
    .select(['acquirer', 'event_id', 'type', 'reference', 'mismatch', 'received_at'])
    .where('order_no', '=', orderNo)
    .where('mismatch', 'is not', null)
    .orderBy('received_at')
    .execute();

export type MismatchedEvent = Awaited<ReturnType<typeof listMismatchedEvents>>[number];
