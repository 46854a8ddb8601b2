import { PayrailError, BusinessCode } from './errors.ts';

/**
 * A signed amount in minor units: a ledger entry (debits positive, credits negative) or a
 * balance, which a refund can take below zero. Always a safe integer.
 */
export type SignedCents = number & { readonly __brand: 'Cents' };

/**
 * An amount in minor units (cents). Always a non-negative safe integer inside the gateway;
 * the wire's "300.00" strings exist only at the API edge. Every Cents is also a SignedCents.
 */
export type Cents = SignedCents & { readonly __unsigned: true };

export const AMOUNT_PATTERN = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/;

export const cents = (value: number): Cents => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an amount in cents: ${value}`);
  return value as Cents;
};

export const ZERO_CENTS = cents(0);

export const signedCents = (value: number): SignedCents => {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an amount in cents: ${value}`);
  return value as SignedCents;
};

/** Parses a wire amount ("300", "300.5", "300.00") into cents, refusing anything else. */
export function parseAmount(value: unknown, field = 'amount'): Cents {
  if (typeof value !== 'string') {
    throw new PayrailError(BusinessCode.AmountInvalid, `${field} must be a string such as "300.00"`);
  }
  const match = AMOUNT_PATTERN.exec(value);
  if (!match) {
    throw new PayrailError(
      BusinessCode.AmountInvalid,
      `${field} must have 1 to 9 digits and at most two decimals, such as "300.00"`,
    );
  }
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const amount = whole * 100 + fraction;
  if (amount === 0) throw new PayrailError(BusinessCode.AmountInvalid, `${field} must be greater than 0`);
  return cents(amount);
}

/**
 * Formats cents the way the wire carries amounts: always two decimals. Balances can be
 * negative (a refund gives back the fee the payment paid), so the sign is kept in front.
 */
export function formatAmount(amount: SignedCents): string {
  const sign = amount < 0 ? '-' : '';
  const magnitude = Math.abs(amount);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}
