import type { Kysely } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/schema.ts';
import { MasterKey } from '../secrets/master-key.ts';
import type { Secret } from '../domain/secret.ts';
import { MerchantCache } from './merchant-cache.ts';
import { merchantSigning, type MerchantRow } from './merchants.ts';

const key = new MasterKey(Buffer.alloc(32, 7));
const revealed = (secrets: Secret<string>[]) => secrets.map((secret) => secret.reveal());

const row = (overrides: Partial<MerchantRow> = {}): MerchantRow =>
  ({
    merchant_no: '1234567890',
    app_secret_sealed: key.seal('active-secret'),
    previous_secret_sealed: null,
    previous_secret_until: null,
    ...overrides,
  }) as MerchantRow;

/** A database that answers the next merchant row handed to it, and nothing else. */
function databaseAnswering(rows: MerchantRow[]) {
  const query = { selectAll: () => query, where: () => query, executeTakeFirst: async () => rows.shift() };
  return { selectFrom: () => query } as unknown as Kysely<Database>;
}

describe('MerchantCache secrets', () => {
  it('opens a cached merchant secret once, not on every request', async () => {
    const cache = new MerchantCache(databaseAnswering([row()]), key, 1_000);
    const open = vi.spyOn(key, 'open');
    const merchant = (await cache.get('1234567890', 0))!;
    for (let i = 0; i < 5; i++) expect(revealed(cache.acceptedSecrets(merchant, new Date()))).toEqual(['active-secret']);
    expect(open).toHaveBeenCalledTimes(1);
    open.mockRestore();
  });

  it('opens the secrets again once the row is read again, so a rotation is seen', async () => {
    const rotated = row({
      app_secret_sealed: key.seal('new-secret'),
      previous_secret_sealed: key.seal('active-secret'),
      previous_secret_until: new Date(Date.now() + 60_000),
    });
    const cache = new MerchantCache(databaseAnswering([row(), rotated]), key, 1_000);
    const before = (await cache.get('1234567890', 0))!;
    expect(revealed(cache.acceptedSecrets(before, new Date()))).toEqual(['active-secret']);
    const after = (await cache.get('1234567890', 2_000))!;
    expect(revealed(cache.acceptedSecrets(after, new Date()))).toEqual(['new-secret', 'active-secret']);
    expect(revealed(cache.acceptedSecrets(after, new Date(Date.now() + 120_000)))).toEqual(['new-secret']);
  });

  it('signs with what merchantSigning would, opening the secrets once per cached row', async () => {
    const pending = row({
      app_secret_sealed: key.seal('new-secret'),
      previous_secret_sealed: key.seal('active-secret'),
      previous_secret_until: new Date(Date.now() + 60_000),
      active_secret_used_at: null,
    });
    const confirmed = { ...pending, active_secret_used_at: new Date() };
    for (const [merchantRow, expected] of [[pending, 'active-secret'], [confirmed, 'new-secret'], [row(), 'active-secret']] as const) {
      const cache = new MerchantCache(databaseAnswering([merchantRow]), key, 1_000);
      const merchant = (await cache.get('1234567890', 0))!;
      expect(merchantSigning(merchant, key, new Date()).secret.reveal()).toBe(expected);
      const open = vi.spyOn(key, 'open');
      for (let i = 0; i < 3; i++) expect(cache.signing(merchant, new Date()).secret.reveal()).toBe(expected);
      // Three signings opened the row's secrets once.
      expect(open.mock.calls.length).toBe(merchant.previous_secret_sealed ? 2 : 1);
      open.mockRestore();
    }
  });
});
