import { createHmac } from 'node:crypto';
import type { Secret } from './secret.ts';

/**
 * The same card always gives the same fingerprint, and the fingerprint cannot be turned back
 * into the number without the key (derived from the master key). Used to cap declines per card.
 */
export function cardFingerprint(key: Buffer, pan: Secret<string>): string {
  return createHmac('sha256', key).update(pan.reveal()).digest('hex');
}
