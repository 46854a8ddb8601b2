import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { chargeSavedCard } from './charge-saved-card.ts';
import { CHARGE_OPERATION, parseCharge } from './schema.ts';

const CHARGE_PATHS = ['/v1/charge'];

/** `POST /v1/charge`: a merchant-initiated charge of a saved card. */
export function chargeRoutes(app: FastifyInstance, context: GatewayContext) {
  app.post(CHARGE_PATHS[0]!, { schema: routeSchema(CHARGE_OPERATION, CHARGE_PATHS, CHARGE_PATHS[0]!) }, async (request) => {
    const { merchant, body } = await authenticate(context, request);
    const input = parseCharge(body, { allowPrivateNotify: context.config.notifyAllowPrivate });
    return success(await chargeSavedCard(context, merchant, body, input));
  });
}
