/**
 * A card saved at Stripe is a PaymentMethod attached to a Customer, and charging it later needs
 * both ids. Our token for it (kept sealed, never shown) holds the two as `cus_…/pm_…`. Pure.
 */
export interface StripeSavedCard {
  customer: string;
  paymentMethod: string;
}

const STRIPE_ID = '[A-Za-z0-9_]+';
const TOKEN = new RegExp(`^(cus_${STRIPE_ID})/(pm_${STRIPE_ID})$`);

export function storedCardToken(card: StripeSavedCard): string {
  const token = `${card.customer}/${card.paymentMethod}`;
  if (!TOKEN.test(token)) throw new TypeError('a Stripe saved card is a cus_ id and a pm_ id');
  return token;
}

/** The two ids of a token made by `storedCardToken`; undefined for anything else. */
export function readStoredCardToken(token: string): StripeSavedCard | undefined {
  const match = TOKEN.exec(token);
  return match ? { customer: match[1]!, paymentMethod: match[2]! } : undefined;
}
