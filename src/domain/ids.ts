import { randomBytes, randomInt } from 'node:crypto';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `platFormTradeNo`: 16 base-36 characters from the CSPRNG (about 82 bits), unguessable. */
export function newPlatFormTradeNo(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += BASE36[randomInt(36)];
  return id;
}

/** Months since January 2020 that an order number's first two characters count (36² = 1296: until 2127). */
const ORDER_MONTH_EPOCH_YEAR = 2020;

/**
 * An order's `platFormTradeNo`: the UTC month it is created in, as two base-36 characters, then 14
 * from the CSPRNG (about 72 bits, unguessable). The month lets a lookup read only that month's
 * partition of `orders` (store/orders.ts); it is a hint, not a promise (a clock a moment off at
 * the turn of a month, an order created before 0033), so a lookup that misses falls back.
 */
export function newOrderNo(now: Date = new Date()): string {
  const month = (now.getUTCFullYear() - ORDER_MONTH_EPOCH_YEAR) * 12 + now.getUTCMonth();
  let id = BASE36[Math.floor(month / 36) % 36]! + BASE36[month % 36]!;
  for (let i = 0; i < 14; i++) id += BASE36[randomInt(36)];
  return id;
}

/** The UTC month an order number names, as [first instant, first instant of the next month); undefined if not base 36. */
export function monthOfOrderNo(orderNo: string): [Date, Date] | undefined {
  const high = BASE36.indexOf(orderNo[0] ?? '');
  const low = BASE36.indexOf(orderNo[1] ?? '');
  if (high < 0 || low < 0) return undefined;
  const month = high * 36 + low;
  const year = ORDER_MONTH_EPOCH_YEAR + Math.floor(month / 12);
  return [new Date(Date.UTC(year, month % 12, 1)), new Date(Date.UTC(year, (month % 12) + 1, 1))];
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

/** A `disputeNo`: `dp` and 14 base-36 characters from the CSPRNG. */
export function newDisputeNo(): string {
  let id = 'dp';
  for (let i = 0; i < 14; i++) id += BASE36[randomInt(36)];
  return id;
}

/** A saved card's `cardToken`: `ct_` and 24 base-36 characters from the CSPRNG (about 124 bits). */
export function newCardToken(): string {
  let id = 'ct_';
  for (let i = 0; i < 24; i++) id += BASE36[randomInt(36)];
  return id;
}

/** A `merchantNo`: ten digits (the family's form; migration 0001 checks it too). */
export const MERCHANT_NO_FORM = /^[0-9]{10}$/;

/** A merchant's `customerId` (cards on file): 1–64 of `A-Za-z0-9_-`, as POST /v1/checkout takes it. */
export const CUSTOMER_ID_FORM = /^[A-Za-z0-9_-]{1,64}$/;
