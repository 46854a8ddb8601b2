import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { createCheckout } from '../../payments/create-checkout.ts';
import { requestHash } from '../request-hash.ts';
import { checkoutView } from './checkout-view.ts';
import { CHECKOUT_OPERATION, parseCreateCheckout } from './schema.ts';

export const CHECKOUT_PATHS = ['/v1/checkout', '/v1/:provider/checkout'];

export function checkoutRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of CHECKOUT_PATHS) {
    app.post(path, { schema: routeSchema(CHECKOUT_OPERATION, CHECKOUT_PATHS, path) }, async (request) => {
      const { merchant, body } = await authenticate(context, request);
      const input = parseCreateCheckout(body, merchant, { allowPrivateNotify: context.config.notifyAllowPrivate });
      const order = await createCheckout(context, merchant.merchant_no, input, requestHash(body));
      return success(checkoutView(order, input.tradeNo, merchant.status_set, context.config.publicUrl));
    });
  }
}
