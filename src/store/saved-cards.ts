import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SavedCardsTable } from '../db/schema.ts';
import { newCardToken } from '../domain/ids.ts';

export type SavedCardRow = Selectable<SavedCardsTable>;

/** A card an approved attempt saved, with the acquirer's token already sealed. */
export interface NewSavedCard {
  merchantNo: string;
  customerId: string;
  acquirer: string;
  acquirerTokenSealed: string;
  brand: 'visa' | 'mastercard';
  bin: string;
  last4: string;
  fingerprint: string;
  expiryMonth: number;
  expiryYear: number;
  orderNo: string;
}

/**
 * Keeps a saved card in the caller's transaction and answers its `cardToken`. The same card saved
 * again for the same customer (same keyed fingerprint, same acquirer) keeps its row and token and
 * takes the acquirer's newest token and expiry.
 */
export async function keepSavedCard(trx: Transaction<Database>, card: NewSavedCard): Promise<string> {
  const row = await trx
    .insertInto('saved_cards')
    .values({
      card_token: newCardToken(),
      merchant_no: card.merchantNo,
      customer_id: card.customerId,
      acquirer: card.acquirer,
      acquirer_token_sealed: card.acquirerTokenSealed,
      card_brand: card.brand,
      card_bin: card.bin,
      card_last4: card.last4,
      card_fingerprint: card.fingerprint,
      expiry_month: card.expiryMonth,
      expiry_year: card.expiryYear,
      order_no: card.orderNo,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['merchant_no', 'customer_id', 'card_fingerprint', 'acquirer'])
        .where('deleted_at', 'is', null)
        .doUpdateSet((excluded) => ({
          acquirer_token_sealed: excluded.ref('excluded.acquirer_token_sealed'),
          expiry_month: excluded.ref('excluded.expiry_month'),
          expiry_year: excluded.ref('excluded.expiry_year'),
        })),
    )
    .returning('card_token')
    .executeTakeFirstOrThrow();
  return row.card_token;
}

/** A customer's saved cards that are not deleted, newest first. */
export const listSavedCards = (db: Kysely<Database>, merchantNo: string, customerId: string) =>
  db
    .selectFrom('saved_cards')
    .selectAll()
    .where('merchant_no', '=', merchantNo)
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();

/** A merchant's saved card that is not deleted, by its token. */
export const findSavedCard = (db: Kysely<Database>, merchantNo: string, cardToken: string) =>
  db
    .selectFrom('saved_cards')
    .selectAll()
    .where('card_token', '=', cardToken)
    .where('merchant_no', '=', merchantNo)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

/** Marks a merchant's saved card deleted (once); answers the card as it was, or undefined when there was none to delete. */
export const deleteSavedCard = (db: Kysely<Database>, merchantNo: string, cardToken: string, now: Date) =>
  db
    .updateTable('saved_cards')
    .set({ deleted_at: now })
    .where('card_token', '=', cardToken)
    .where('merchant_no', '=', merchantNo)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
