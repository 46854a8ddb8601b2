import { randomBytes, randomInt } from 'node:crypto';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `platFormTradeNo`: 16 base-36 characters from the CSPRNG (about 82 bits), unguessable. */
export function newPlatFormTradeNo(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += BASE36[randomInt(36)];
  return id;
}

/** The cashier token in `paymentUrl`: 256 random bits in hex, derived from nothing. */
export function newPaymentToken(): string {
  return randomBytes(32).toString('hex');
}

/** A 10-digit merchant number that does not start with 0. */
export function newMerchantNo(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1_000_000_000)).padStart(9, '0');
}

/** An app secret: 32 random bytes, hex. */
export function newAppSecret(): string {
  return randomBytes(32).toString('hex');
}
