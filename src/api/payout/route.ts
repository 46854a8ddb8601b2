import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import type { WireBody } from '../../domain/signature.ts';
import { payOut, payoutCard } from '../../payments/pay-out.ts';
import { authenticate } from '../authenticate.ts';
import { success } from '../envelope.ts';
import { payoutCreatedView } from '../payout-view.ts';
import { requestHash } from '../request-hash.ts';
import { routeSchema } from '../wire-schema.ts';
import { PAYOUT_OPERATION, parsePayout } from './schema.ts';

/** `POST /v1/payout` and the family's names for it. */
export const PAYOUT_PATHS = ['/v1/payout', '/v1/:provider/payOut', '/v1/:provider/payout', '/v1/:provider/disbursements'];

export function payoutRoutes(app: FastifyInstance, context: GatewayContext) {
  for (const path of PAYOUT_PATHS) {
    app.post(path, { schema: routeSchema(PAYOUT_OPERATION, PAYOUT_PATHS, path) }, async (request) => {
      const { merchant, body } = await authenticate(context, request);
      const input = parsePayout(body, { allowPrivateNotify: context.config.notifyAllowPrivate });
      const card = payoutCard(context.masterKey, input.card);
      const payout = await payOut(context, {
        merchantNo: merchant.merchant_no,
        tradeNo: input.tradeNo,
        // The card number takes part as its keyed fingerprint: a plain hash of a body holding it
        // could be reversed by trying the few numbers that fit its BIN and last four.
        requestHash: requestHash({ ...body, customerAccount: card.fingerprint } as WireBody),
        amountCents: input.amount,
        currency: input.currency,
        customerName: input.customerName,
        customerMobile: input.customerMobile,
        customerEmail: input.customerEmail,
        notifyUrl: input.notifyUrl,
        remark: input.remark,
        card,
      }, merchant.acquirers);
      return success(payoutCreatedView(payout));
    });
  }
}
