import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addRequestCounts } from '../store/rate-limits.ts';

/**
 * Per-merchant requests per second, enforced across every node without a database round trip
 * per request: each node counts locally and adds its counts to the shared counters every
 * `syncMs`, learning the other nodes' totals in the same statement. A merchant can exceed its
 * limit by at most what the other nodes accepted since their last sync.
 */
export class MerchantRateLimiter {
  #window = 0;
  /** Requests accepted here since the last sync, by merchant. */
  #local = new Map<string, number>();
  /** Totals across nodes as of the last sync, for the current window. */
  #shared = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly syncMs = 100,
  ) {}

  /** Counts a request; false when it would exceed the merchant's limit for this second. */
  allow(merchantNo: string, limitPerSecond: number, nowMs = Date.now()): boolean {
    const window = Math.floor(nowMs / 1000);
    if (window !== this.#window) {
      this.#window = window;
      this.#local.clear();
      this.#shared.clear();
    }
    const seen = (this.#shared.get(merchantNo) ?? 0) + (this.#local.get(merchantNo) ?? 0);
    if (seen >= limitPerSecond) return false;
    this.#local.set(merchantNo, (this.#local.get(merchantNo) ?? 0) + 1);
    this.#timer ??= setTimeout(() => this.sync(), this.syncMs).unref();
    return true;
  }

  /** Shares this node's counts and learns the others'. */
  sync(): Promise<void> {
    this.#timer = undefined;
    if (this.#local.size === 0) return this.#syncing;
    const window = this.#window;
    const counts = this.#local;
    this.#local = new Map();
    this.#syncing = addRequestCounts(this.db, window, counts)
      .then((totals) => {
        if (window !== this.#window) return;
        for (const [merchant, total] of totals) this.#shared.set(merchant, total);
      })
      .catch(() => {
        // The database is away: keep counting locally; the next sync tries again.
        for (const [merchant, count] of counts) this.#local.set(merchant, (this.#local.get(merchant) ?? 0) + count);
      });
    return this.#syncing;
  }

  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    await this.sync();
  }
}
