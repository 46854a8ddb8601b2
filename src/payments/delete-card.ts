import type { GatewayContext } from '../context.ts';
import { deleteSavedCard, type SavedCardRow } from '../store/saved-cards.ts';
import { customerReference } from './customer-reference.ts';

/**
 * Deletes a merchant's saved card: first here (no charge or cashier page can use it from then on),
 * then at the acquirer that saved it, outside any transaction. An acquirer that cannot be reached
 * is logged; the card stays deleted here, so nothing charges it through Payrail. Answers the card
 * deleted, or undefined when the merchant has no such card (or it was deleted before).
 */
export async function deleteCard(context: GatewayContext, merchantNo: string, cardToken: string): Promise<SavedCardRow | undefined> {
  const card = await deleteSavedCard(context.db, merchantNo, cardToken, context.now());
  if (!card) return undefined;
  const acquirer = context.acquirers.has(card.acquirer) ? context.acquirers.get(card.acquirer) : undefined;
  const detached = await acquirer?.deleteStoredCard?.({
    token: context.masterKey.open(card.acquirer_token_sealed),
    customerReference: customerReference(card.merchant_no, card.customer_id),
  });
  if (detached?.outcome !== 'deleted') {
    const detail = detached?.outcome === 'unknown' ? detached.detail : undefined;
    context.log.warn({ cardToken, acquirer: card.acquirer, ...(detail ? { detail } : {}) }, 'saved card deleted here but not detached at the acquirer');
  }
  return card;
}
