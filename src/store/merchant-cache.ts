import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MasterKey } from '../secrets/master-key.ts';
import type { Secret } from '../domain/secret.ts';
import { findMerchant, openedSigning, openSecrets, secretsAcceptedAt, type MerchantRow, type OpenedSecrets } from './merchants.ts';

interface Entry {
  readonly merchant: MerchantRow | undefined;
  readonly until: number;
  /** Opened on first use and kept with the row they came from, never logged (Secret). */
  secrets?: OpenedSecrets;
}

/**
 * Merchants as the API reads them on every request, kept for a moment so the hot path does
 * not pay a database round trip for them, nor an AES-GCM open of their secret. Changes made on
 * another node (disable, secret rotation) reach this node within `ttlMs`; changes made here
 * take effect at once (`forget`).
 */
export class MerchantCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: MasterKey,
    private readonly ttlMs: number,
  ) {}

  /** `db`: where to read a merchant the cache does not hold (a transaction, when the caller is in one). */
  async get(merchantNo: string, nowMs = Date.now(), db: Kysely<Database> = this.db): Promise<MerchantRow | undefined> {
    const cached = this.#entries.get(merchantNo);
    if (cached && cached.until > nowMs) return cached.merchant;
    const merchant = await findMerchant(db, merchantNo);
    // Unknown numbers are remembered too (briefly), so guessing cannot hammer the database.
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(merchantNo, { merchant, until: nowMs + this.ttlMs });
    return merchant;
  }

  /**
   * The secrets a request from this merchant may be signed with now. Opened once per cached
   * row: a row read again (expiry, rotation, `forget`) is opened again.
   */
  acceptedSecrets(merchant: MerchantRow, now: Date): Secret<string>[] {
    return secretsAcceptedAt(this.#opened(merchant), now);
  }

  /**
   * How what the gateway sends this merchant is signed (merchantSigning), from the secrets
   * opened once per cached row, as acceptedSecrets: the cashier's receipt and its ended page
   * sign the merchant's returnUrl with it on every payment.
   */
  signing(merchant: MerchantRow, now: Date) {
    return openedSigning(merchant, this.#opened(merchant), now);
  }

  #opened(merchant: MerchantRow): OpenedSecrets {
    const entry = this.#entries.get(merchant.merchant_no);
    if (entry?.merchant !== merchant) return openSecrets(merchant, this.key);
    return (entry.secrets ??= openSecrets(merchant, this.key));
  }

  forget(merchantNo: string): void {
    this.#entries.delete(merchantNo);
  }
}
