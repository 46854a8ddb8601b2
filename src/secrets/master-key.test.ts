import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadMasterKey, MasterKey, parseMasterKey } from './master-key.ts';

const key = () => new MasterKey(Buffer.alloc(32, 7));

describe('the master key', () => {
  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (secret) => {
        const sealed = key().seal(secret);
        expect(sealed).not.toContain(secret);
        expect(key().open(sealed)).toBe(secret);
      }),
    );
  });

  it('refuses a sealed value that was tampered with or sealed by another key', () => {
    const sealed = key().seal('app secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => key().open(parts.join('.'))).toThrow();
    expect(() => new MasterKey(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('derives a distinct, stable session key for dashboard cookies', () => {
    expect(key().sessionKey.equals(key().sessionKey)).toBe(true);
    expect(key().sessionKey.equals(key().fingerprintKey)).toBe(false);
    expect(key().sessionKey.equals(new MasterKey(Buffer.alloc(32, 8)).sessionKey)).toBe(false);
  });

  it('reads hex and base64 keys and refuses other lengths', () => {
    expect(parseMasterKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseMasterKey(Buffer.alloc(32, 1).toString('base64'))).toHaveLength(32);
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/);
  });

  it('is generated once into the data folder, owner-readable only, and reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-key-'));
    const sealed = loadMasterKey(undefined, dir).seal('x');
    expect(loadMasterKey(undefined, dir).open(sealed)).toBe('x');
    expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o077).toBe(0);
  });
});
