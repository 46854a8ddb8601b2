import { Type } from '@sinclair/typebox';
import type { WireBody } from '../../domain/signature.ts';
import { CARD_TOKEN_PATTERN } from '../../domain/saved-card.ts';
import { CUSTOMER_ID, text } from '../fields.ts';
import { envelopeOk, signedRequest, WIRE_TIME, type OperationDoc } from '../wire-schema.ts';

export const CARD_LIST_REQUEST = signedRequest({ customerId: CUSTOMER_ID }, ['customerId']);

/** Reads the body of `POST /v1/card/list`. */
export const readCardList = (body: WireBody) => ({ customerId: text(body, 'customerId', CARD_LIST_REQUEST.properties.customerId) });

export const SAVED_CARD_SCHEMA = Type.Object({
  cardToken: Type.String({ pattern: CARD_TOKEN_PATTERN }),
  brand: Type.String({ enum: ['visa', 'mastercard'] }),
  last4: Type.String({ pattern: '^[0-9]{4}$' }),
  expiryMonth: Type.Integer({ minimum: 1, maximum: 12 }),
  expiryYear: Type.Integer({ description: 'Four digits.' }),
  createdTime: WIRE_TIME,
});

const EXAMPLE_CARD = { cardToken: 'ct_3k9w0c2m7x1p5q8r4t6v0y2z', brand: 'visa', last4: '4242', expiryMonth: 12, expiryYear: 2034, createdTime: '2026-11-25 18:05:16' };

export const CARD_LIST_OPERATION: OperationDoc = {
  operationId: 'listCards',
  tag: 'Cards on file',
  summary: "A customer's saved cards",
  description: 'The cards saved for this customer with you and not deleted, newest first; none is an empty list, not an error. The card number is never kept: brand, last four and expiry only.',
  request: CARD_LIST_REQUEST,
  requestExamples: { one: { summary: 'The cards of customer cus-42', value: { customerId: 'cus-42', timestamp: '1795629920000', sign: '0c1d2e3f405162738495a6b7c8d9eaf1' } } },
  data: Type.Object({ cards: Type.Array(SAVED_CARD_SCHEMA) }),
  answerDescription: "The customer's saved cards.",
  answerExamples: { one: { summary: 'One saved card', value: envelopeOk({ cards: [EXAMPLE_CARD] }, 1795629920100) } },
};
