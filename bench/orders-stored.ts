import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';

/**
 * create-checkout's invariant: every create answered `0000` is an order in the database (every
 * month's partition of `orders`). Throws, naming both counts, when fewer orders exist.
 */
export async function checkEveryCreateStored(db: Kysely<Database>, succeeded: number): Promise<number> {
  const { n } = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const orders = Number(n);
  if (orders < succeeded) throw new Error(`create-checkout: ${succeeded} answered 0000 but only ${orders} orders exist`);
  return orders;
}
