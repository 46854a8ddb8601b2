import { BusinessCode } from '../../domain/errors.ts';
import { OrderState, failedOrder } from '../../domain/order-status.ts';
import { envelopeError, envelopeOk, type Example } from '../wire-schema.ts';

const CARD_TOKEN = 'ct_3k9w0c2m7x1p5q8r4t6v0y2z';

export const CHARGE_REQUEST_EXAMPLES: Record<string, Example> = {
  recurring: {
    summary: "A subscription's monthly charge",
    value: {
      tradeNo: 'SUB-42-2026-12',
      amount: '9.99',
      currency: 'USD',
      customerId: 'cus-42',
      cardToken: CARD_TOKEN,
      notifyUrl: 'https://merchant.example/notify',
      reason: 'RECURRING',
      remark: 'December',
      timestamp: '1795629920000',
      sign: '3f1d1c1b1a19181716151413121110ff',
    },
  },
};

export const CHARGE_ANSWER_EXAMPLES: Record<string, Example> = {
  paid: {
    summary: 'Charged',
    value: envelopeOk(
      { tradeNo: 'SUB-42-2026-12', platFormTradeNo: '7zbnhv6xo47lyuo8', status: OrderState.Paid.status, desc: OrderState.Paid.desc, remark: 'December', cardToken: CARD_TOKEN, paymentUrl: null },
      1795629920100,
    ),
  },
  authenticationRequired: {
    summary: 'The issuer wants the customer present',
    value: envelopeOk(
      {
        tradeNo: 'SUB-42-2026-12',
        platFormTradeNo: '7zbnhv6xo47lyuo8',
        status: failedOrder('AUTHENTICATION_REQUIRED').status,
        desc: 'AUTHENTICATION_REQUIRED',
        remark: 'December',
        cardToken: CARD_TOKEN,
        paymentUrl: 'https://pay.example/checkout?data=5b0e8f0c3a7d4e2b9c1f6a8d0e3b7c2a5f9d1e4b8c0a3f6e2d9b5c1a7e4f0b3d',
      },
      1795629920100,
    ),
  },
  unknownCard: { summary: '8009 unknown cardToken', value: envelopeError(BusinessCode.NotFound, `cardToken ${CARD_TOKEN} not found for customerId cus-42`, 1795629920100) },
};
