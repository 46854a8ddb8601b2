/**
 * The cashier's static files, read once at start-up and named by their content hash so the
 * route can serve them with `Cache-Control: public, max-age=31536000, immutable`.
 *
 * Route wiring: `GET ${CASHIER_ASSET_PREFIX}:name` → `cashierAssets[name]` (404 when absent),
 * with `Content-Type: asset.contentType` and `ETag: asset.etag`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Where the templates link the assets from. */
export const CASHIER_ASSET_PREFIX = '/checkout/assets/';

export interface CashierAsset {
  /** Public file name with its content hash, e.g. `cashier.3f2a1b9c0d4e.css`. */
  readonly name: string;
  /** `CASHIER_ASSET_PREFIX + name`: what the templates link to. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Strong ETag, quoted, from the SHA-256 of the body. */
  readonly etag: string;
  /** Hex SHA-256 of the body. */
  readonly hash: string;
}

function load(file: string, contentType: string): CashierAsset {
  const body = readFileSync(new URL(file, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex');
  const dot = file.lastIndexOf('.');
  const name = `${file.slice(0, dot)}.${hash.slice(0, 12)}${file.slice(dot)}`;
  return Object.freeze({ name, path: CASHIER_ASSET_PREFIX + name, body, contentType, etag: `"${hash}"`, hash });
}

export const stylesheet = load('cashier.css', 'text/css; charset=utf-8');
export const script = load('cashier.js', 'text/javascript; charset=utf-8');
/** The receipt's countdown back to the merchant (result page only). */
export const receiptScript = load('receipt.js', 'text/javascript; charset=utf-8');

/** Every asset by its public (hashed) name. */
export const cashierAssets: Readonly<Record<string, CashierAsset>> = Object.freeze({
  [stylesheet.name]: stylesheet,
  [script.name]: script,
  [receiptScript.name]: receiptScript,
});

const NONCE = /^[A-Za-z0-9+/_-]{16,128}={0,2}$/;

/**
 * The Content-Security-Policy header for every cashier page. Nothing loads from anywhere but our
 * own origin and forms may only post to us; the final hop to the merchant's returnUrl is a link
 * and a meta refresh, which `form-action` does not govern. Our pages need no inline script or
 * style. A `nonce` (base64, 16+ characters), when given, is added to script-src and style-src and
 * the templates put it on their `<script>` and `<link>`; it does not narrow `'self'`.
 */
export function contentSecurityPolicy(nonce?: string, formTarget?: string): string {
  if (nonce !== undefined && !NONCE.test(nonce)) throw new RangeError('CSP nonce must be base64 of at least 16 characters');
  const withNonce = nonce === undefined ? "'self'" : `'self' 'nonce-${nonce}'`;
  return [
    "default-src 'none'",
    `script-src ${withNonce}`,
    `style-src ${withNonce}`,
    "img-src 'self' data:",
    // Widened only on the page that sends the browser to a processor's 3-D Secure page.
    formTarget ? `form-action 'self' ${new URL(formTarget).origin}` : "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
