import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';
import { findPayout } from '../../store/payouts.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { PAYOUT_QUERY_OPERATION, readPayoutQuery } from './schema.ts';
import { payoutQueryView } from '../payout-view.ts';

/** `POST /v1/payout/query` and the family's `queryPayOutResult`: one payout by tradeNo or platFormTradeNo. */
export const PAYOUT_QUERY_PATHS = ['/v1/payout/query', '/v1/:provider/queryPayOutResult'];

export function payoutQueryRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of PAYOUT_QUERY_PATHS) {
    app.post(path, { schema: routeSchema(PAYOUT_QUERY_OPERATION, PAYOUT_QUERY_PATHS, path) }, async (request) => {
      const { merchant, body } = await authenticate(context, request);
      const reference = readPayoutQuery(body);
      const payout = await findPayout(context.db, merchant.merchant_no, reference);
      if (!payout) throw new PayrailError(BusinessCode.NotFound, `payout ${reference.tradeNo ?? reference.platFormTradeNo} not found`);
      return success(payoutQueryView(payout));
    });
  }
}
