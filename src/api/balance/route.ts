import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { formatAmount } from '../../domain/money.ts';
import { merchantBalance } from '../../store/ledger/ledger-balances.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { routeSchema } from '../wire-schema.ts';
import { BALANCE_OPERATION } from './schema.ts';

export const BALANCE_PATHS = ['/v1/balance', '/v1/:provider/queryBalance'];

/** `POST /v1/balance`: the merchant's balances, summed from the ledger. */
export function balanceRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of BALANCE_PATHS) {
    app.post(path, { schema: routeSchema(BALANCE_OPERATION, BALANCE_PATHS, path) }, async (request) => {
      const { merchant } = await authenticate(context, request);
      const balance = await merchantBalance(context.db, merchant.merchant_no);
      return success({
        availableAmount: formatAmount(balance.available),
        unsettledAmount: formatAmount(balance.unsettled),
        freezeAmount: formatAmount(balance.frozen),
        currency: 'USD',
      });
    });
  }
}
