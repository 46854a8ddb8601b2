/**
 * The Payrail merchant SDK (`import … from 'payrail/sdk'`): sign requests, verify
 * notifications and return URLs, and call the merchant API with a typed client.
 * It depends on nothing but Node.js (node:crypto and the global fetch), never on the gateway.
 */
export { buildSignString, computeSign, signRequest, hasValidSign } from './sign.ts';
export type { SignedFields, SignedValue, SignOptions, SignType, SaltPlacement } from './sign.ts';
export { verifyNotification, verifyReturnUrl } from './verify.ts';
export { PayrailClient } from './client.ts';
export type { PayrailClientOptions } from './client.ts';
export { PayrailApiError, PayrailNetworkError, PayrailSignatureError } from './errors.ts';
export type * from './types.ts';
export { WireStatus } from './status.ts';
