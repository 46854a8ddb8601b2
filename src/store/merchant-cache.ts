import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findMerchant, type MerchantRow } from './merchants.ts';

/**
 * Merchants as the API reads them on every request, kept for a moment so the hot path does
 * not pay a database round trip for them. Changes made on another node (disable, secret
 * rotation) reach this node within `ttlMs`; changes made here take effect at once (`forget`).
 */
export class MerchantCache {
  readonly #entries = new Map<string, { merchant: MerchantRow | undefined; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs: number,
  ) {}

  async get(merchantNo: string, nowMs = Date.now()): Promise<MerchantRow | undefined> {
    const cached = this.#entries.get(merchantNo);
    if (cached && cached.until > nowMs) return cached.merchant;
    const merchant = await findMerchant(this.db, merchantNo);
    // Unknown numbers are remembered too (briefly), so guessing cannot hammer the database.
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(merchantNo, { merchant, until: nowMs + this.ttlMs });
    return merchant;
  }

  forget(merchantNo: string): void {
    this.#entries.delete(merchantNo);
  }
}
