import { createHash } from 'node:crypto';
import { buildSignString, type WireBody } from '../domain/signature.ts';

// These fields change on every retry of the same request; everything else must match.
const NOT_PART_OF_IDEMPOTENCY = new Set(['timestamp', 'signType']);

/**
 * What identifies a request for idempotency (a tradeNo or a refundNo sent again): every signed
 * field but timestamp, sign and signType.
 */
export const requestHash = (body: WireBody) =>
  createHash('sha256').update(buildSignString(body, NOT_PART_OF_IDEMPOTENCY)).digest('hex');
