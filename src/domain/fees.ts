import { cents, type Cents } from './money.ts';

/** The fee of a merchant created without one, by the CLI or the dashboard (the column default too). */
export const DEFAULT_FEE_BPS = 290;

/** The gateway's fee on a payment: basis points of the amount, rounded half up to the cent. */
export function feeOf(amount: Cents, feeBps: number): Cents {
  return cents(Math.floor((amount * feeBps + 5_000) / 10_000));
}
