import { AttemptStatus } from './attempt-status.ts';

/**
 * Card-testing caps: declines (and attempts still in flight) per card in a day, per client
 * address in an hour. A cap of N is N slots per card or address; an attempt holds one of each
 * from its start until the window has passed since then, unless it ends without a decline.
 */
export const CardTestingScope = { Card: 1, Address: 2 } as const;
export type CardTestingScope = (typeof CardTestingScope)[keyof typeof CardTestingScope];

/** How long a slot stays busy after its attempt started, per scope. */
export const CARD_TESTING_WINDOW: Record<CardTestingScope, string> = {
  [CardTestingScope.Card]: '24 hours',
  [CardTestingScope.Address]: '1 hour',
};

/**
 * Whether an attempt that ended this way gives its slots back: a decline is what the caps count,
 * and an attempt still in flight may yet be one; an approval or an error (no answer about the card)
 * is neither.
 */
export const releasesCardTestingSlots = (status: AttemptStatus) => status === AttemptStatus.Approved || status === AttemptStatus.Error;
