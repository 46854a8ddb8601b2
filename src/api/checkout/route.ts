import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { createCheckout } from './create-checkout.ts';
import { CHECKOUT_OPERATION, parseCreateCheckout } from './schema.ts';

export const CHECKOUT_PATHS = ['/v1/checkout', '/v1/:provider/checkout'];

export function checkoutRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of CHECKOUT_PATHS) {
    app.post(path, { schema: routeSchema(CHECKOUT_OPERATION, CHECKOUT_PATHS, path) }, async (request) => {
      const { merchant, body } = await authenticate(context, request);
      const input = parseCreateCheckout(body, merchant, { allowPrivateNotify: context.config.notifyAllowPrivate });
      return success(await createCheckout(context, merchant, body, input));
    });
  }
}
