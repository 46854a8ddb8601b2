import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The master key seals merchants' app secrets at rest (AES-256-GCM), keys the card fingerprint
 * (no card number is ever stored, so there is no card data to encrypt) and signs dashboard
 * session cookies. Each use gets its own subkey derived with HKDF, so one never stands in for
 * another.
 */
export class MasterKey {
  readonly #sealKey: Buffer;
  readonly #fingerprintKey: Buffer;
  readonly #sessionKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the master key must be 32 bytes');
    this.#sealKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'payrail seal v1', 32));
    this.#fingerprintKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'payrail card fingerprint v1', 32));
    this.#sessionKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'payrail dashboard session v1', 32));
  }

  /** Encrypts text into `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Key for HMAC card fingerprints: same card, same fingerprint, without storing the number. */
  get fingerprintKey(): Buffer {
    return this.#fingerprintKey;
  }

  /** Key for HMAC-signed dashboard session cookies: any node with the same master key accepts them. */
  get sessionKey(): Buffer {
    return this.#sessionKey;
  }

  toJSON() {
    return '[master key]';
  }
}

/** Reads a 32-byte key written as 64 hex characters or as base64. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('PAYRAIL_MASTER_KEY must be 32 bytes, written as 64 hex characters or base64');
  return key;
}

/**
 * The configured key, or in development a key generated once into DATA_DIR/master.key
 * (owner-only permissions) and reused on later starts.
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): MasterKey {
  if (configured) return new MasterKey(parseMasterKey(configured));
  const file = path.join(dataDir, 'master.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return new MasterKey(parseMasterKey(fs.readFileSync(file, 'utf8')));
}
