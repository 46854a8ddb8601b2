import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { deleteCard } from '../../payments/delete-card.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { CARD_DELETE_OPERATION, readCardDelete } from './schema.ts';

const CARD_DELETE_PATHS = ['/v1/card/delete'];

/** `POST /v1/card/delete`: a saved card removed here and detached at its acquirer. */
export function cardDeleteRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CARD_DELETE_PATHS[0]!, { schema: routeSchema(CARD_DELETE_OPERATION, CARD_DELETE_PATHS, CARD_DELETE_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const { cardToken } = readCardDelete(body);
    if (!(await deleteCard(context, merchant.merchant_no, cardToken))) throw new PayrailError(BusinessCode.NotFound, `cardToken ${cardToken} not found`);
    return success({ cardToken, deleted: true });
  });
}
