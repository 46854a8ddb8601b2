import type { Heard } from './merchant-endpoint.ts';

/** What the merchant should have been told about one event, read from the database after the run. */
export interface Expected {
  /** eventKey(notifyType, platFormTradeNo, refundNo) */
  key: string;
  merchantNo: string;
  /** The wire status for that merchant's status set; undefined while the event is not final. */
  status: string | undefined;
  /** The notify job of the event; undefined when none was queued. */
  notifyId: string | undefined;
  /** For the report, e.g. "EXPIRED (family)". */
  stored: string;
}

/** An event the merchant was not told right, and why. */
export interface Undelivered {
  key: string;
  merchantNo: string;
  stored: string;
  reason: string;
}

const unique = (items: readonly string[]) => [...new Set(items)];

/**
 * Compares what the merchant acknowledged with what it should have been told: the wire status
 * and the notifyId of each final event. Pure, so a test can hold it to every kind of miss.
 */
export function findUndelivered(expected: readonly Expected[], heard: ReadonlyMap<string, Heard>): Undelivered[] {
  const misses: Undelivered[] = [];
  for (const event of expected) {
    const miss = (reason: string) => misses.push({ key: event.key, merchantNo: event.merchantNo, stored: event.stored, reason });
    const told = heard.get(event.key) ?? { acknowledged: [], refused: [] };
    if (event.status === undefined) {
      miss('never reached a final status');
      continue;
    }
    if (event.notifyId === undefined) {
      miss('no notification was queued');
      continue;
    }
    const should = `${event.status} (notifyId ${event.notifyId})`;
    if (told.acknowledged.length === 0) {
      const refused = unique(told.refused);
      miss(refused.length > 0 ? `never acknowledged; the merchant refused ${told.refused.length} deliveries: ${refused.join('; ')}; should be ${should}` : `never arrived; should be ${should}`);
      continue;
    }
    const wrong = told.acknowledged.filter((notification) => notification.status !== event.status || notification.notifyId !== event.notifyId);
    if (wrong.length > 0) {
      miss(`told ${unique(wrong.map((notification) => `${notification.status} (notifyId ${notification.notifyId})`)).join(', ')}; should be ${should}`);
    }
  }
  return misses;
}
