import { createHash } from 'node:crypto';
import type { AuthorizationQueryResult, RefundQueryResult } from './acquirer.ts';
import type { WhatTheEventSays } from '../domain/event-match.ts';
import type { DisputeEvent } from '../domain/dispute.ts';

/**
 * A verified processor webhook event, read into what it says about one of our attempts or
 * refunds. Events that say nothing we act on are still stored (once) and acknowledged.
 */
export interface ProcessorEvent<Name extends string = string> {
  /** The connector whose webhook said it (a `ProcessorName` from the registry, index.ts). */
  acquirer: Name;
  /** Unique per event at that processor: stored once, so a replay changes nothing. */
  id: string;
  type: string;
  /**
   * What the event would settle, and what it says about the payment or refund (the processor's
   * ids, amount in minor units, currency): it settles only when that matches what we sent. A
   * dispute event carries the same in processor-neutral terms (domain/dispute.ts).
   */
  settles?:
    | { kind: 'attempt'; attemptId: string; answer: AuthorizationQueryResult; says: WhatTheEventSays }
    | { kind: 'refund'; refundId: string; answer: RefundQueryResult; says: WhatTheEventSays }
    /** A dispute event (payments/apply-dispute-event.ts), matched by the processor's payment id, amount and currency. */
    | { kind: 'dispute'; dispute: DisputeEvent };
  /** Signed, but not understood (why): stored and acknowledged, never acted on. */
  unreadable?: string;
}

/** Why a webhook body was refused; logged without the body. */
export interface RefusedWebhook {
  refused: string;
}

/** The longest id or reference we store from an event (an index key has a size limit). */
export const MAX_EVENT_TEXT = 255;

/**
 * A string from an event that may go into SQL as it is: non-empty, at most MAX_EVENT_TEXT
 * characters, and without the NUL character PostgreSQL refuses in text and jsonb. Anything
 * else (another type, a NUL) is undefined.
 */
export function storableText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_EVENT_TEXT && !value.includes('\u0000') ? value : undefined;
}

/** Whether any string in a parsed JSON value (keys too) holds a NUL: such a value never goes near SQL. */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  const entries = Array.isArray(value) ? value.map((item) => ['', item] as const) : Object.entries(value);
  return entries.some(([key, item]) => key.includes('\u0000') || holdsNul(item, depth + 1));
}

/** A whole number of minor units, when the event says one. */
export const minorUnits = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);

/**
 * A signed event we cannot read: stored under an id of its own (a hash of what was signed), so
 * it can neither settle anything nor take the id of a real event that arrives later.
 */
export function unreadableEvent<Name extends string>(acquirer: Name, signed: Buffer | string, why: string): ProcessorEvent<Name> {
  return { acquirer, id: `unreadable:${createHash('sha256').update(signed).digest('hex')}`, type: 'unreadable', unreadable: why };
}
