import type { GatewayContext } from '../context.ts';
import { maskedCard } from '../domain/card.ts';
import { isSavedCardExpired } from '../domain/saved-card.ts';
import type { OrderRow } from '../store/orders.ts';
import { listSavedCards } from '../store/saved-cards.ts';
import type { SavedCardChoice } from './templates/index.ts';

/**
 * The saved cards a returning customer may pay this order with in one step: theirs with this
 * merchant, not past their expiry, saved by an acquirer this gateway reaches that charges saved cards.
 */
export async function savedCardChoices(context: GatewayContext, order: OrderRow): Promise<SavedCardChoice[]> {
  if (!order.customer_id) return [];
  const cards = await listSavedCards(context.db, order.merchant_no, order.customer_id);
  return cards
    .filter((card) => !isSavedCardExpired(card, context.now()) && context.acquirers.has(card.acquirer) && context.acquirers.get(card.acquirer).authorizeStored)
    .map((card) => ({
      cardToken: card.card_token,
      card: maskedCard(card.card_brand, card.card_last4),
      expiry: `${String(card.expiry_month).padStart(2, '0')}/${String(card.expiry_year % 100).padStart(2, '0')}`,
    }));
}
