import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CASHIER_ASSET_PREFIX, cashierAssets, receiptScript, script, stylesheet } from './index.ts';

describe('cashier assets', () => {
  it('names each file by its content hash so it can be cached for a year', () => {
    for (const asset of Object.values(cashierAssets)) {
      const hash = createHash('sha256').update(asset.body).digest('hex');
      expect(asset.hash).toBe(hash);
      expect(asset.etag).toBe(`"${hash}"`);
      expect(asset.name).toContain(hash.slice(0, 12));
      expect(asset.path).toBe(CASHIER_ASSET_PREFIX + asset.name);
      expect(cashierAssets[asset.name]).toBe(asset);
    }
  });

  it('declares the content types browsers need under nosniff', () => {
    expect(stylesheet.contentType).toBe('text/css; charset=utf-8');
    expect(script.contentType).toBe('text/javascript; charset=utf-8');
    expect(receiptScript.contentType).toBe('text/javascript; charset=utf-8');
  });

  it('is our own code, fetching nothing', () => {
    for (const js of [script.body.toString('utf8'), receiptScript.body.toString('utf8')]) {
      expect(js).not.toMatch(/fetch\(|XMLHttpRequest|https?:\/\/|import\(|eval\(|new Function|innerHTML/);
    }
    expect(stylesheet.body.toString('utf8')).not.toMatch(/url\(|@import/);
  });
});
