import { BusinessCode } from '../../domain/errors.ts';
import type { WireBody } from '../../domain/signature.ts';
import { TRADE_NO, text } from '../fields.ts';
import { ORDER_SCHEMA } from '../order-view.ts';
import { ORDER_CLOSED, ORDER_CLOSED_FAMILY } from '../query/examples.ts';
import { envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const CLOSE_REQUEST = signedRequest({ tradeNo: TRADE_NO }, ['tradeNo']);

/** Reads the body of `POST /v1/checkout/close`: the order's tradeNo. */
export const readCloseOrder = (body: WireBody) => ({ tradeNo: text(body, 'tradeNo', CLOSE_REQUEST.properties.tradeNo) });

export const CLOSE_OPERATION: OperationDoc = {
  operationId: 'closeOrder',
  tag: 'Checkout',
  summary: 'Close an unpaid order',
  description:
    'Only an unpaid order with no payment under way (`0015` / `CREATED`) can be closed; it becomes `CLOSED` (status `00029` for a merchant with the `family` status set, `00031` for `extended`), its payment page answers 410 from then on, and a `PAYMENT` notification with that status is queued. Closing a closed order again answers `0000`. Any other state: `8010`. Unknown order: `8009`.',
  request: CLOSE_REQUEST,
  requestExamples: {
    close: { summary: 'Close by tradeNo', value: { tradeNo: 'ORDER-1001-2', timestamp: '1795629918729', sign: '516248e2662338863d1551167ce6394b' } },
  },
  data: ORDER_SCHEMA,
  answerDescription: 'The closed order, as the query answers it.',
  answerExamples: {
    closedFamily: { summary: '0000 closed, family status set (the default): 00029 with desc CLOSED', value: envelopeOk(ORDER_CLOSED_FAMILY, 1795629918736) },
    closed: { summary: '0000 closed, extended status set: 00031', value: envelopeOk(ORDER_CLOSED, 1795629918736) },
    paid: {
      summary: '8010 the order is paid',
      value: envelopeError(BusinessCode.StateForbidsOperation, 'order ORDER-1001 cannot be closed: only an unpaid order with no payment under way can be', 1795629916385),
    },
  },
};
