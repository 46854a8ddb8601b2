import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formatWireTime } from '../../domain/wire-time.ts';
import { listSavedCards } from '../../store/saved-cards.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { CARD_LIST_OPERATION, readCardList } from './schema.ts';

const CARD_LIST_PATHS = ['/v1/card/list'];

/** `POST /v1/card/list`: a customer's saved cards. */
export function cardListRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CARD_LIST_PATHS[0]!, { schema: routeSchema(CARD_LIST_OPERATION, CARD_LIST_PATHS, CARD_LIST_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const { customerId } = readCardList(body);
    const cards = await listSavedCards(context.db, merchant.merchant_no, customerId);
    return success({
      cards: cards.map((card) => ({
        cardToken: card.card_token,
        brand: card.card_brand,
        last4: card.card_last4,
        expiryMonth: card.expiry_month,
        expiryYear: card.expiry_year,
        createdTime: formatWireTime(card.created_at),
      })),
    });
  });
}
