import { Type } from '@sinclair/typebox';
import { BusinessCode } from '../../domain/errors.ts';
import type { WireBody } from '../../domain/signature.ts';
import { CARD_TOKEN_PATTERN } from '../../domain/saved-card.ts';
import { CARD_TOKEN, text } from '../fields.ts';
import { envelopeError, envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const CARD_DELETE_REQUEST = signedRequest({ cardToken: CARD_TOKEN }, ['cardToken']);

/** Reads the body of `POST /v1/card/delete`. */
export const readCardDelete = (body: WireBody) => ({ cardToken: text(body, 'cardToken', CARD_DELETE_REQUEST.properties.cardToken) });

export const CARD_DELETE_OPERATION: OperationDoc = {
  operationId: 'deleteCard',
  tag: 'Cards on file',
  summary: 'Delete a saved card',
  description:
    'Removes the card here and detaches it at the acquirer that saved it; later charges with it answer `8009`, and it is no longer shown on the cashier page. Orders it paid keep their `cardToken`. An unknown or already deleted `cardToken`: `8009`.',
  request: CARD_DELETE_REQUEST,
  requestExamples: { one: { summary: 'Delete a card', value: { cardToken: 'ct_3k9w0c2m7x1p5q8r4t6v0y2z', timestamp: '1795629920000', sign: '9a8b7c6d5e4f30211203f4e5d6c7b8a9' } } },
  data: Type.Object({ cardToken: Type.String({ pattern: CARD_TOKEN_PATTERN }), deleted: Type.Boolean({ description: 'Always `true`.' }) }),
  answerDescription: 'The card is deleted.',
  answerExamples: {
    deleted: { summary: 'Deleted', value: envelopeOk({ cardToken: 'ct_3k9w0c2m7x1p5q8r4t6v0y2z', deleted: true }, 1795629920100) },
    unknown: { summary: '8009 unknown or already deleted', value: envelopeError(BusinessCode.NotFound, 'cardToken ct_3k9w0c2m7x1p5q8r4t6v0y2z not found', 1795629920100) },
  },
};
