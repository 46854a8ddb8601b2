import { isExpired } from './card.ts';

/**
 * Cards on file (docs/api.md, "Cards on file"): the rules that need no I/O.
 *
 * `saveCard` on create checkout: `optional`, the cashier offers an unticked "save this card";
 * `required`, the page says the card will be saved (the first payment of a subscription).
 */
export const SAVE_CARD_MODES = ['optional', 'required'] as const;
export type SaveCard = (typeof SAVE_CARD_MODES)[number];

/** Why a merchant charges a saved card (`reason` of `POST /v1/charge`), for the stored-credential indicators. */
export const CHARGE_REASONS = ['RECURRING', 'UNSCHEDULED', 'INSTALMENT'] as const;
export type ChargeReason = (typeof CHARGE_REASONS)[number];

/** `cardToken`: `ct_` and 24 lowercase base-36 characters. */
export const CARD_TOKEN_PATTERN = '^ct_[0-9a-z]{24}$';

/** Whether the card of an attempt is saved: always when the order requires it, when the customer ticked the box when it is optional. */
export function savesCard(mode: SaveCard | null, ticked: boolean): boolean {
  return mode === 'required' || (mode === 'optional' && ticked);
}

/** A saved card is good through the last day of its expiry month, as a typed card (domain/card.ts). */
export const isSavedCardExpired = (card: { expiry_month: number; expiry_year: number }, now: Date) =>
  isExpired({ month: card.expiry_month, year: card.expiry_year }, now);

/**
 * The order a merchant-initiated charge creates for the customer to pay when the issuer wants
 * them present (AUTHENTICATION_REQUIRED): the charge's tradeNo and `.auth`. A dot is not allowed
 * in a merchant's tradeNo, so this can never be one the merchant chose.
 */
export const authenticationTradeNo = (tradeNo: string) => `${tradeNo}.auth`;
